import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { CostSource } from './services/Cost/CostSource';
import { OffsetSource } from './services/KafkaOffsets/OffsetSource';
import { StatusSource } from './services/Status/StatusSource';

/**
 * Replaces the default sources of the streaming backend: Kafka offsets (lag),
 * Spark application status, cost. Each is optional; unset ones keep the
 * defaults (Kafka from config, Kubernetes from config, rates from config).
 *
 * @public
 */
export interface StreamingSourcesExtensionPoint {
  setOffsetSource(source: OffsetSource): void;
  setStatusSource(source: StatusSource): void;
  setCostSource(source: CostSource): void;
}

/** @public */
export const streamingSourcesExtensionPoint =
  createExtensionPoint<StreamingSourcesExtensionPoint>({
    id: 'streaming.sources',
  });
