import { ConflictError, InputError } from '@backstage/errors';
import { Admin, ConfigResourceTypes } from 'kafkajs';
import { diffTopicSettings, TopicSettings } from './topicSettings';

/** A topic as the `kafka:topic:create` action receives it. */
export interface TopicRequest {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  configs?: Record<string, string>;
}

/** What happened to one topic. */
export interface TopicResult {
  name: string;
  /** `created`; `exists` (same settings); `valid` (dry run, would be created). */
  status: 'created' | 'exists' | 'valid';
  partitions: number | null;
  replicationFactor: number | null;
}

/**
 * Makes sure the topic exists with the requested settings. Idempotent: a
 * topic that already exists with the same settings (say, from a run that
 * crashed before its checkpoint was stored) is success; with different
 * settings it is a `ConflictError` that names every difference.
 *
 * With `validateOnly` the broker validates the creation without performing it.
 */
export async function ensureTopic(
  admin: Admin,
  cluster: string,
  topic: TopicRequest,
  options: { validateOnly: boolean },
): Promise<TopicResult> {
  let existing = await describeTopic(admin, topic);
  if (!existing) {
    const created = await admin
      .createTopics({
        validateOnly: options.validateOnly,
        waitForLeaders: !options.validateOnly,
        topics: [
          {
            topic: topic.name,
            numPartitions: topic.partitions,
            replicationFactor: topic.replicationFactor,
            configEntries: Object.entries(topic.configs ?? {}).map(
              ([name, value]) => ({ name, value }),
            ),
          },
        ],
      })
      .catch(error => {
        throw describeRejection(error, topic.name, cluster);
      });
    if (options.validateOnly) {
      return {
        name: topic.name,
        status: 'valid',
        partitions: topic.partitions ?? null,
        replicationFactor: topic.replicationFactor ?? null,
      };
    }
    existing = await describeTopic(admin, topic);
    if (created && existing) {
      return { name: topic.name, status: 'created', ...counts(existing) };
    }
    if (!existing) {
      throw new Error(
        `Topic "${topic.name}" was created on cluster "${cluster}" but its metadata is not available yet`,
      );
    }
  }
  const differences = diffTopicSettings(topic, existing);
  if (differences.length > 0) {
    throw new ConflictError(
      `Topic "${
        topic.name
      }" already exists on Kafka cluster "${cluster}" with different settings: ${differences.join(
        '; ',
      )}`,
    );
  }
  return { name: topic.name, status: 'exists', ...counts(existing) };
}

/**
 * kafkajs reports per-topic failures as an aggregate error; this turns them
 * into one `InputError` that says what the broker objected to.
 */
function describeRejection(error: unknown, topic: string, cluster: string) {
  const aggregate = (error as { cause?: unknown }).cause ?? error;
  const causes = (aggregate as { errors?: unknown[] }).errors;
  if (!Array.isArray(causes) || causes.length === 0) {
    return error;
  }
  const reasons = causes.map(cause => {
    const { type, message } = cause as { type?: string; message?: string };
    return type ? `${type}: ${message}` : String(message);
  });
  return new InputError(
    `Kafka cluster "${cluster}" rejected topic "${topic}": ${reasons.join(
      '; ',
    )}`,
  );
}

function counts(settings: TopicSettings) {
  return {
    partitions: settings.partitions,
    replicationFactor: settings.replicationFactor,
  };
}

async function describeTopic(
  admin: Admin,
  topic: TopicRequest,
): Promise<TopicSettings | undefined> {
  const names = await admin.listTopics();
  if (!names.includes(topic.name)) {
    return undefined;
  }
  const metadata = await admin.fetchTopicMetadata({ topics: [topic.name] });
  const partitions = metadata.topics[0]?.partitions ?? [];
  const configNames = Object.keys(topic.configs ?? {});
  const configs: Record<string, string> = {};
  if (configNames.length > 0) {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: topic.name, configNames },
      ],
    });
    for (const entry of described.resources[0]?.configEntries ?? []) {
      configs[entry.configName] = entry.configValue;
    }
  }
  return {
    partitions: partitions.length,
    replicationFactor: Math.max(0, ...partitions.map(p => p.replicas.length)),
    configs,
  };
}
