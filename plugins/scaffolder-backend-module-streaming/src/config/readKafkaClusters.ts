import { Config } from '@backstage/config';
import { z } from 'zod';
import { parseConfigSection } from './parseConfigSection';

const kafkaClusterSchema = z.object({
  name: z.string().min(1),
  brokers: z.array(z.string().min(1)).min(1),
  clientId: z.string().min(1).optional(),
  ssl: z
    .union([
      z.boolean(),
      z.object({
        ca: z.string().optional(),
        cert: z.string().optional(),
        key: z.string().optional(),
        rejectUnauthorized: z.boolean().optional(),
      }),
    ])
    .optional(),
  sasl: z
    .object({
      mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
      username: z.string().min(1),
      password: z.string().min(1),
    })
    .optional(),
  connectionTimeoutMs: z.number().int().positive().optional(),
  requestTimeoutMs: z.number().int().positive().optional(),
});

/**
 * A Kafka cluster from `streaming.kafka.clusters[]`.
 *
 * @public
 */
export type KafkaClusterConfig = z.infer<typeof kafkaClusterSchema>;

/**
 * Reads `streaming.kafka.clusters`; an absent key means no clusters.
 */
export function readKafkaClusters(config: Config): KafkaClusterConfig[] {
  const clusters = parseConfigSection(
    config,
    'streaming.kafka.clusters',
    z.array(kafkaClusterSchema).default([]),
  );
  assertUniqueNames(clusters, 'streaming.kafka.clusters');
  return clusters;
}

/**
 * Cluster names are how templates and specs refer to clusters, so they must
 * be unique within their list.
 */
export function assertUniqueNames(
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
