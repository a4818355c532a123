import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { CostSource } from './sources/CostSource';
import { OffsetSource } from './sources/OffsetSource';
import { StatusSource } from './sources/StatusSource';

/**
 * Replaces the default sources of the streaming backend: Kafka offsets (lag),
 * Spark application status, cost. Each is optional; unset ones keep the
 * defaults (Kafka from config, Kubernetes from config, rates from config).
 * One module may set each kind: a second `set…Source` of the same kind
 * throws, naming the kind.
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
