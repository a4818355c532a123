import { Config } from '@backstage/config';
import { z } from 'zod';
import {
  KafkaClusterConfig,
  StreamingKafkaConfig,
  streamingKafkaConfigSchema,
} from './clusterConfigSchemas';
import { parseConfigSection } from './parseConfigSection';

/**
 * Cluster names are how specs, templates and entities refer to clusters, so
 * they must be unique within their list.
 *
 * @public
 */
export function assertUniqueClusterNames(
  clusters: Array<{ name: string }>,
  key: string,
): void {
  const seen = new Set<string>();
  for (const { name } of clusters) {
    if (seen.has(name)) {
      throw new Error(
        `Invalid configuration: ${key} names "${name}" more than once`,
      );
    }
    seen.add(name);
  }
}

/**
 * Reads `streaming` with {@link streamingKafkaConfigSchema}: the one way every
 * streaming package reads `streaming.kafka.clusters` (absent: no clusters;
 * names unique; errors name every wrong key and never a value such as a
 * password or a key).
 *
 * `schema` is for the backend plugin, which reads the rest of `streaming` in
 * the same pass, so that one error names every wrong key: it must extend
 * {@link streamingKafkaConfigSchema}.
 *
 * @public
 */
export function readStreamingConfigSection<
  T extends z.ZodType<StreamingKafkaConfig> = typeof streamingKafkaConfigSchema,
>(
  config: Config,
  schema: T = streamingKafkaConfigSchema as unknown as T,
): z.output<T> {
  const value = parseConfigSection(
    config,
    'streaming',
    z.preprocess(section => section ?? {}, schema),
    'streaming configuration',
  );
  assertUniqueClusterNames(value.kafka.clusters, 'streaming.kafka.clusters');
  return value;
}

/**
 * `streaming.kafka.clusters`, as {@link readStreamingConfigSection} reads it.
 *
 * @public
 */
export function readKafkaClusterConfigs(config: Config): KafkaClusterConfig[] {
  return readStreamingConfigSection(config).kafka.clusters;
}
