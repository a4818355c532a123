import { StreamingConfig } from '../../config/StreamingConfig';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import {
  CostEstimate,
  CostSource,
  SparkApplicationInfo,
} from '@internal/plugin-streaming-node';

/**
 * Driver and executors times the configured rates of the cluster they run on
 * (`streaming.cost.rates.<cluster>`, else `default`). Resources come from the
 * SparkApplication when Kubernetes answered, else from the pipeline summary.
 */
export class RatesCostSource implements CostSource {
  constructor(private readonly config: StreamingConfig) {}

  async estimate(
    pipeline: PipelineEntity,
    application?: SparkApplicationInfo,
  ): Promise<CostEstimate> {
    const resources = application?.resources ?? pipeline.summary.resources;
    const cluster = application?.cluster ?? pipeline.sparkApplication?.cluster;
    const rates = this.config.cost.rates;
    const rate = (cluster && rates[cluster]) || rates.default;
    if (!rate) {
      return {
        source: 'rates',
        driverPerHour: 0,
        executorsPerHour: 0,
        resources,
        errors: [
          {
            source: 'cost',
            message: `No cost rate for cluster ${
              cluster ?? '(none)'
            }: set streaming.cost.rates.${cluster ?? 'default'}`,
          },
        ],
      };
    }
    const price = (cores: number, memoryGb: number) =>
      cores * rate.coreHour + memoryGb * rate.gbHour;
    const executors = application
      ? Math.max(application.executors.running, 0) ||
        resources.executor.instances
      : resources.executor.instances;
    return {
      source: 'rates',
      driverPerHour: price(resources.driver.cores, resources.driver.memoryGb),
      executorsPerHour:
        executors *
        price(resources.executor.cores, resources.executor.memoryGb),
      resources,
      errors: [],
    };
  }
}
