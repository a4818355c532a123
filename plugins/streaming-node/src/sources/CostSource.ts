import {
  PipelineSummary,
  SourceError,
} from '@internal/plugin-streaming-common';
import { PipelineEntity } from './PipelineEntity';
import { SparkApplicationInfo } from './StatusSource';

/**
 * The hourly price of a pipeline's resources.
 *
 * @public
 */
export interface CostEstimate {
  source: 'rates' | 'opencost';
  driverPerHour: number;
  executorsPerHour: number;
  resources: PipelineSummary['resources'];
  errors: SourceError[];
}

/**
 * Prices a pipeline. Swappable through the plugin's extension point.
 *
 * @public
 */
export interface CostSource {
  estimate(
    pipeline: PipelineEntity,
    application?: SparkApplicationInfo,
  ): Promise<CostEstimate>;
}
