import { Config } from '@backstage/config';
import { z } from 'zod';
import {
  KafkaClusterConfig,
  kafkaClusterConfigSchema,
  KubernetesClusterConfig,
  kubernetesClusterConfigSchema,
} from './clusterConfigSchemas';

/**
 * Reads an optional config section and validates it with a zod schema. The
 * error names the config path and what was expected, never the values (they
 * may be passwords or tokens).
 *
 * @public
 */
export function parseConfigSection<T extends z.ZodType>(
  config: Config,
  key: string,
  schema: T,
): z.output<T> {
  const result = schema.safeParse(config.getOptional(key));
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      const path = issue.path
        .map(part =>
          typeof part === 'number' ? `[${part}]` : `.${String(part)}`,
        )
        .join('');
      return `${key}${path}: ${issue.message}`;
    });
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

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

function readClusters<T extends { name: string }>(
  config: Config,
  key: string,
  schema: z.ZodType<T>,
): T[] {
  const clusters = parseConfigSection(config, key, z.array(schema).default([]));
  assertUniqueClusterNames(clusters, key);
  return clusters;
}

/**
 * Reads `streaming.kafka.clusters`; an absent key means no clusters.
 *
 * @public
 */
export function readKafkaClusterConfigs(config: Config): KafkaClusterConfig[] {
  return readClusters(
    config,
    'streaming.kafka.clusters',
    kafkaClusterConfigSchema,
  );
}

/**
 * Reads `streaming.kubernetes.clusters`; an absent key means no clusters.
 *
 * @public
 */
export function readKubernetesClusterConfigs(
  config: Config,
): KubernetesClusterConfig[] {
  return readClusters(
    config,
    'streaming.kubernetes.clusters',
    kubernetesClusterConfigSchema,
  );
}
