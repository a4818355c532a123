/**
 * Topic-level configs a template may set, each with the check its value must
 * pass. Anything else (for example `message.downconversion.enable` or
 * `follower.replication.throttled.replicas`) stays with the Kafka operators.
 */
const integer = /^-?\d+$/;
const ratio = /^(0(\.\d+)?|1(\.0+)?)$/;

const cleanupPolicies = new Set(['delete', 'compact']);

export const TOPIC_CONFIG_ALLOW_LIST: Record<
  string,
  { expected: string; check: (value: string) => boolean }
> = {
  'cleanup.policy': {
    expected: '"delete", "compact" or "compact,delete"',
    check: value => {
      const parts = value.split(',').map(p => p.trim());
      return (
        parts.length > 0 &&
        parts.every(p => cleanupPolicies.has(p)) &&
        new Set(parts).size === parts.length
      );
    },
  },
  'compression.type': {
    expected: 'one of producer, uncompressed, gzip, snappy, lz4, zstd',
    check: value =>
      ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'].includes(
        value,
      ),
  },
  'delete.retention.ms': nonNegativeInteger(),
  'max.compaction.lag.ms': nonNegativeInteger(),
  'max.message.bytes': nonNegativeInteger(),
  'message.timestamp.type': {
    expected: '"CreateTime" or "LogAppendTime"',
    check: value => value === 'CreateTime' || value === 'LogAppendTime',
  },
  'min.cleanable.dirty.ratio': {
    expected: 'a number between 0 and 1',
    check: value => ratio.test(value),
  },
  'min.compaction.lag.ms': nonNegativeInteger(),
  'min.insync.replicas': nonNegativeInteger(),
  'retention.bytes': integerOrUnlimited(),
  'retention.ms': integerOrUnlimited(),
  'segment.bytes': nonNegativeInteger(),
  'segment.ms': nonNegativeInteger(),
};

function nonNegativeInteger() {
  return {
    expected: 'a whole number of 0 or more',
    check: (value: string) => integer.test(value) && !value.startsWith('-'),
  };
}

function integerOrUnlimited() {
  return {
    expected: 'a whole number of 0 or more, or -1 for unlimited',
    check: (value: string) =>
      value === '-1' || (integer.test(value) && !value.startsWith('-')),
  };
}

/** Kafka's own rule for topic names. */
export const TOPIC_NAME_PATTERN = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Checks a topic name and its configs; returns the problems, each naming the
 * field and what was expected. An empty list means valid.
 */
export function validateTopicRequest(topic: {
  name: string;
  configs?: Record<string, string>;
}): string[] {
  const problems: string[] = [];
  const label = JSON.stringify(topic.name);
  if (
    !TOPIC_NAME_PATTERN.test(topic.name) ||
    topic.name === '.' ||
    topic.name === '..'
  ) {
    problems.push(
      `topic ${label}: a topic name is 1 to 249 characters of letters, digits, ".", "_" and "-" (and not "." or "..")`,
    );
  }
  if (topic.name.startsWith('__')) {
    problems.push(
      `topic ${label}: names starting with "__" are reserved for Kafka's internal topics`,
    );
  }
  if (topic.name.startsWith('-')) {
    problems.push(
      `topic ${label}: a topic name must not start with "-" (command-line tools would read it as an option)`,
    );
  }
  for (const [key, value] of Object.entries(topic.configs ?? {})) {
    const rule = Object.hasOwn(TOPIC_CONFIG_ALLOW_LIST, key)
      ? TOPIC_CONFIG_ALLOW_LIST[key]
      : undefined;
    if (!rule) {
      problems.push(
        `topic ${label}: config ${JSON.stringify(
          key,
        )} is not allowed; allowed: ${Object.keys(TOPIC_CONFIG_ALLOW_LIST).join(
          ', ',
        )}`,
      );
    } else if (!rule.check(value)) {
      problems.push(
        `topic ${label}: config ${key} must be ${
          rule.expected
        }, got ${JSON.stringify(value)}`,
      );
    }
  }
  return problems;
}

/** The settings of a topic that the action compares. */
export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

/**
 * Differences between what was requested and what exists, one line each.
 * Only requested settings are compared: an omitted partition count accepts
 * any.
 */
export function diffTopicSettings(
  requested: Partial<TopicSettings>,
  actual: TopicSettings,
): string[] {
  const differences: string[] = [];
  if (
    requested.partitions !== undefined &&
    requested.partitions !== actual.partitions
  ) {
    differences.push(
      `partitions: requested ${requested.partitions}, existing ${actual.partitions}`,
    );
  }
  if (
    requested.replicationFactor !== undefined &&
    requested.replicationFactor !== actual.replicationFactor
  ) {
    differences.push(
      `replication factor: requested ${requested.replicationFactor}, existing ${actual.replicationFactor}`,
    );
  }
  for (const [key, value] of Object.entries(requested.configs ?? {})) {
    const existing = actual.configs[key];
    if (
      normalizeConfigValue(key, value) !== normalizeConfigValue(key, existing)
    ) {
      differences.push(
        `${key}: requested ${JSON.stringify(value)}, existing ${JSON.stringify(
          existing ?? null,
        )}`,
      );
    }
  }
  return differences;
}

function normalizeConfigValue(key: string, value: string | undefined) {
  if (value === undefined) {
    return undefined;
  }
  if (key === 'cleanup.policy') {
    return value
      .split(',')
      .map(p => p.trim())
      .sort()
      .join(',');
  }
  return value.trim();
}
