import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import { ensureTopic, TopicResult } from '../kafka/ensureTopic';
import { TopicLimits } from '../kafka/TopicLimits';
import {
  TOPIC_CONFIG_ALLOW_LIST,
  validateTopicRequest,
} from '../kafka/topicSettings';
import { KafkaAdmins } from '../services/KafkaAdmins/KafkaAdmins';
import { examples } from './kafkaTopicCreate.examples';
import { parseActionInput } from './parseActionInput';

const inputSchema = z.object({
  cluster: z
    .string()
    .min(1)
    .describe(
      'Name of the Kafka cluster in app-config (`streaming.kafka.clusters[].name`)',
    ),
  topics: z
    .array(
      z.object({
        name: z.string().describe('The topic name'),
        partitions: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe(
            'Number of partitions; the broker default if omitted (at most `streaming.scaffolder.kafkaTopics.maxPartitions`)',
          ),
        replicationFactor: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe(
            'Replication factor; the broker default if omitted (at most `streaming.scaffolder.kafkaTopics.maxReplicationFactor`)',
          ),
        configs: z
          .record(z.union([z.string(), z.number()]))
          .optional()
          .describe(
            `Topic configs; allowed keys: ${Object.keys(
              TOPIC_CONFIG_ALLOW_LIST,
            ).join(', ')}`,
          ),
      }),
    )
    .min(1)
    .describe(
      'The topics to create (at most `streaming.scaffolder.kafkaTopics.maxTopicsPerStep`)',
    ),
});

const outputSchema = z.object({
  topics: z
    .array(
      z.object({
        name: z.string(),
        status: z
          .enum(['created', 'exists', 'valid'])
          .describe(
            '`created`, `exists` (already there with the same settings) or `valid` (dry run)',
          ),
        partitions: z.number().nullable(),
        replicationFactor: z.number().nullable(),
      }),
    )
    .describe('One entry per requested topic, in order'),
});

/**
 * `kafka:topic:create`: creates topics on a Kafka cluster named in
 * `streaming.kafka.clusters`, idempotently.
 *
 * @public
 */
export function createKafkaTopicCreateAction(options: {
  kafkaAdmins: KafkaAdmins;
  topicLimits: TopicLimits;
}) {
  const { kafkaAdmins, topicLimits } = options;
  return createTemplateAction({
    id: 'kafka:topic:create',
    description:
      'Creates Kafka topics on a cluster named in app-config, within the limits of `streaming.scaffolder.kafkaTopics` (partitions, replication, retention, message size, topics per step, templates allowed per cluster). A topic that already exists with the requested settings is success; with different settings the step fails and names the differences. In dry run the broker validates the request without creating anything.',
    examples,
    supportsDryRun: true,
    schema: {
      input: () => inputSchema,
      output: () => outputSchema,
    },
    async handler(ctx) {
      const input = parseActionInput(inputSchema, ctx.input);
      const { cluster } = input;
      kafkaAdmins.assertCluster(cluster);
      topicLimits.assertTemplateAllowed(cluster, ctx.templateInfo?.entityRef);
      const topics = input.topics.map(topic => ({
        ...topic,
        configs: topic.configs
          ? Object.fromEntries(
              Object.entries(topic.configs).map(([k, v]) => [k, String(v)]),
            )
          : undefined,
      }));
      const problems = topics.flatMap(validateTopicRequest);
      const names = topics.map(t => t.name);
      const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
      if (duplicates.length > 0) {
        problems.push(`topics listed more than once: ${duplicates.join(', ')}`);
      }
      if (problems.length > 0) {
        throw new InputError(`Invalid topics: ${problems.join('; ')}`);
      }
      topicLimits.assertWithin(cluster, topics);

      const admin = await kafkaAdmins.get(cluster);
      const results: TopicResult[] = [];
      for (const topic of topics) {
        ctx.signal?.throwIfAborted();
        const result = ctx.isDryRun
          ? await ensureTopic(admin, cluster, topic, { validateOnly: true })
          : await ctx.checkpoint({
              key: `kafka.topic.create.${cluster}.${topic.name}`,
              fn: async () => ({
                ...(await ensureTopic(admin, cluster, topic, {
                  validateOnly: false,
                })),
              }),
            });
        ctx.logger.info(`Kafka topic ${topic.name}: ${result.status}`, {
          cluster,
          topic: topic.name,
        });
        results.push(result);
      }
      ctx.output('topics', results);
    },
  });
}
