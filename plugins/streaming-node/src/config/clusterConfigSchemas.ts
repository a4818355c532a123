import { z } from 'zod';

/**
 * One Kafka cluster of `streaming.kafka.clusters[]` (see this package's
 * config.d.ts for every key). Timeouts default to 3 s (connect) and 10 s
 * (request).
 *
 * @public
 */
export const kafkaClusterConfigSchema = z.object({
  name: z.string().min(1),
  brokers: z
    .array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port'))
    .min(1),
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
  connectionTimeoutMs: z.coerce.number().int().positive().default(3000),
  requestTimeoutMs: z.coerce.number().int().positive().default(10000),
});

/** @public */
export type KafkaClusterConfig = z.infer<typeof kafkaClusterConfigSchema>;

/**
 * The Kafka part of `streaming`: `kafka.clusters`, none by default. Read it
 * with `readStreamingConfigSection`, which also checks that names are unique.
 *
 * @public
 */
export const streamingKafkaConfigSchema = z.object({
  kafka: z
    .object({ clusters: z.array(kafkaClusterConfigSchema).default([]) })
    .default({ clusters: [] }),
});

/** @public */
export type StreamingKafkaConfig = z.infer<typeof streamingKafkaConfigSchema>;
