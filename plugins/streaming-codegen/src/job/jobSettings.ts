import {
  DEFAULT_PROGRESS_TOPIC,
  PipelineSpec,
  parseDuration,
  sourceSchemaFile,
} from '@internal/plugin-streaming-common';

/**
 * One setting of a generated job: read from an environment variable, with
 * the spec's value as the default.
 *
 * @public
 */
export interface JobSetting {
  /** Key in the job's `SETTINGS` dict. */
  key: string;
  /** Environment variable that overrides it. */
  env: string;
  /** Value from the spec (or the platform default); null when unset. */
  value: string | null;
  description: string;
}

/** Default topic every job publishes its StreamingQueryProgress events to. */
export { DEFAULT_PROGRESS_TOPIC };

/** Bootstrap servers the job uses when the environment names none. */
export const DEFAULT_BOOTSTRAP_SERVERS = 'localhost:9092';

/**
 * The settings of the job generated for a spec, in a stable order.
 *
 * @public
 */
export function jobSettings(
  spec: PipelineSpec,
  options: { progressTopic?: string } = {},
): JobSetting[] {
  const {
    source,
    sink,
    transformations,
    trigger,
    dead_letter: deadLetter,
  } = spec.pipeline;
  const settings: JobSetting[] = [];
  const add = (
    key: string,
    env: string,
    value: string | number | boolean | null | undefined,
    description: string,
  ) =>
    settings.push({
      key,
      env,
      value: value === undefined || value === null ? null : String(value),
      description,
    });
  add(
    'bootstrap_servers',
    'KAFKA_BOOTSTRAP_SERVERS',
    DEFAULT_BOOTSTRAP_SERVERS,
    'Kafka bootstrap servers of the source cluster and of the progress topic',
  );
  if (source.type === 'delta') {
    add('source_path', 'PIPELINE_SOURCE_PATH', source.path, 'Delta table read');
    add(
      'source_starting_version',
      'PIPELINE_SOURCE_STARTING_VERSION',
      source.starting_version,
      'Delta version to start from on the first run',
    );
    add(
      'max_files_per_trigger',
      'PIPELINE_MAX_FILES_PER_TRIGGER',
      source.max_files_per_trigger,
      'Most files read per micro-batch',
    );
  } else {
    add(
      'source_topic',
      'PIPELINE_SOURCE_TOPIC',
      source.topic,
      'Kafka topic read',
    );
    add(
      'starting_offsets',
      'PIPELINE_STARTING_OFFSETS',
      source.starting_offsets,
      'Where a new checkpoint starts: earliest or latest (ignored once the checkpoint has offsets)',
    );
    add(
      'max_offsets_per_trigger',
      'PIPELINE_MAX_OFFSETS_PER_TRIGGER',
      source.max_offsets_per_trigger,
      'Most records read per micro-batch',
    );
    add(
      'fail_on_data_loss',
      'PIPELINE_FAIL_ON_DATA_LOSS',
      source.fail_on_data_loss === undefined
        ? 'true'
        : String(source.fail_on_data_loss),
      'Fail when offsets were lost to retention (true) or skip them (false)',
    );
    const schemaFile = sourceSchemaFile(source);
    if (typeof source.schema === 'object') {
      const { registry, subject, version } = source.schema;
      add(
        'schema_file',
        'PIPELINE_SCHEMA_FILE',
        schemaFile,
        `Reader schema (${
          version === 'latest' ? 'latest version' : `version ${version}`
        } of subject ${subject}), relative to the repository root`,
      );
      add(
        'schema_registry_url',
        'PIPELINE_SCHEMA_REGISTRY_URL',
        null,
        `URL of the Confluent-compatible API of schema registry ${registry}, where ${
          source.format === 'avro'
            ? "each record's writer schema is fetched by its id"
            : "each record's schema id is looked up"
        } (credentials: SCHEMA_REGISTRY_USERNAME/SCHEMA_REGISTRY_PASSWORD)`,
      );
      add(
        'schema_registry_timeout_seconds',
        'PIPELINE_SCHEMA_REGISTRY_TIMEOUT_SECONDS',
        '10',
        `Seconds before a ${
          source.format === 'avro' ? 'writer schema' : 'schema id'
        } lookup is abandoned (the task fails and Spark retries it)`,
      );
    } else if (schemaFile) {
      add(
        'schema_file',
        'PIPELINE_SCHEMA_FILE',
        schemaFile,
        'Schema file, relative to the repository root',
      );
    }
  }
  transformations.forEach((step, i) => {
    if (step.type === 'join') {
      add(
        `join_${i}_path`,
        `PIPELINE_JOIN_${i}_PATH`,
        step.table.path,
        `Static table joined by transformation ${i}`,
      );
    }
  });
  add(
    'checkpoint',
    'PIPELINE_CHECKPOINT',
    sink.checkpoint,
    'Checkpoint location: keep it across restarts, never share it',
  );
  switch (sink.type) {
    case 'delta':
      add('sink_path', 'PIPELINE_SINK_PATH', sink.path, 'Delta table written');
      break;
    case 'elasticsearch':
      add(
        'elasticsearch_nodes',
        'ELASTICSEARCH_NODES',
        sink.nodes,
        `${
          sink.cluster
            ? `Node URLs of search cluster ${sink.cluster}`
            : 'Elasticsearch node URLs'
        }, comma-separated (credentials: ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD)`,
      );
      add(
        'sink_index',
        'PIPELINE_SINK_INDEX',
        sink.index,
        'Elasticsearch index written',
      );
      break;
    default:
      add(
        'sink_topic',
        'PIPELINE_SINK_TOPIC',
        sink.topic,
        'Kafka topic written',
      );
      add(
        'sink_bootstrap_servers',
        'PIPELINE_SINK_BOOTSTRAP_SERVERS',
        null,
        'Kafka bootstrap servers of the sink cluster (default: KAFKA_BOOTSTRAP_SERVERS)',
      );
      break;
  }
  if (deadLetter?.type === 'kafka') {
    add(
      'dead_letter_topic',
      'PIPELINE_DEAD_LETTER_TOPIC',
      deadLetter.topic,
      "Kafka topic (on the source's cluster) that receives the records that do not parse",
    );
  } else if (deadLetter) {
    add(
      'dead_letter_path',
      'PIPELINE_DEAD_LETTER_PATH',
      deadLetter.path,
      'Delta table that receives the records that do not parse',
    );
  }
  if (deadLetter) {
    add(
      'dead_letter_checkpoint',
      'PIPELINE_DEAD_LETTER_CHECKPOINT',
      null,
      'Checkpoint of the dead-letter query (default: dead-letter inside the checkpoint location)',
    );
  }
  add(
    'trigger',
    'PIPELINE_TRIGGER',
    trigger && trigger !== 'available_now'
      ? parseDuration(trigger)!.text
      : trigger,
    'Micro-batch interval such as "5 seconds", or available_now',
  );
  add(
    'progress_topic',
    'STREAMING_PROGRESS_TOPIC',
    options.progressTopic ?? DEFAULT_PROGRESS_TOPIC,
    'Topic the StreamingQueryProgress events are published to, keyed by pipeline name',
  );
  add(
    'progress_bootstrap_servers',
    'STREAMING_PROGRESS_BOOTSTRAP_SERVERS',
    null,
    'Kafka bootstrap servers of the progress topic (default: KAFKA_BOOTSTRAP_SERVERS)',
  );
  add(
    'stop_timeout_seconds',
    'PIPELINE_STOP_TIMEOUT_SECONDS',
    '60',
    'On SIGTERM, how long to wait for the running micro-batch before stopping',
  );
  return settings;
}
