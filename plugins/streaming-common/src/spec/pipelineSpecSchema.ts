import { z } from 'zod';
import { DURATION_PATTERN } from './parseDuration';
import { MEMORY_PATTERN } from './parseMemory';
import { ExpressionError, parseExpression } from './expression';
import { parseCron } from './parseCron';
import { invisibleCharacter } from './invisibleCharacter';

/**
 * Longest pipeline name. The Spark Operator derives names from it, and the
 * longest is the UI service of a scheduled maintenance run:
 * `<name>-maint-<19-digit run id>-ui-svc`, a Kubernetes service name
 * (at most 63 characters).
 *
 * @public
 */
export const MAX_PIPELINE_NAME_LENGTH = 30;

/** @public */
export const PIPELINE_NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A column read by the pipeline: `user_id`, or a nested field `payload.user_id`. */
export const COLUMN_PATTERN =
  /^[A-Za-z_][A-Za-z0-9_]{0,127}(\.[A-Za-z_][A-Za-z0-9_]{0,127}){0,7}$/;

/** A column the pipeline writes: `total`, or `@timestamp` for Elasticsearch. */
export const OUTPUT_COLUMN_PATTERN = /^@?[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Kafka's own rule for topic names. */
export const KAFKA_TOPIC_PATTERN = /^[A-Za-z0-9._-]{1,249}$/;

/** A storage location: an absolute path or a URI of a known file system. */
export const STORAGE_PATH_PATTERN =
  /^(\/|(s3a?|gs|abfss?|wasbs?|hdfs|file|dbfs|oss):\/\/?)[A-Za-z0-9._~=+@:/-]{0,1000}$/;

/** A file of the pipeline's repository, relative to the spec. */
export const SCHEMA_FILE_PATTERN =
  /^(\.\/)?([A-Za-z0-9_-][A-Za-z0-9._-]*\/){0,8}[A-Za-z0-9_-][A-Za-z0-9._-]*\.(avsc|json)$/;

/**
 * A storage location compared by what it points at: the scheme's aliases
 * made one (`s3://`, `s3n://` and `s3a://` are the same bucket; a plain path
 * is `file://`), the authority (bucket, host) and the folders, without
 * empty segments.
 */
export function storageLocation(path: string): {
  root: string;
  folders: string[];
} {
  const match = /^([a-z0-9]+):\/\/([^/]*)(.*)$/.exec(path);
  const aliases: Record<string, string> = {
    s3: 's3a',
    s3n: 's3a',
    abfs: 'abfss',
    wasb: 'wasbs',
  };
  const [scheme, authority, rest] = match
    ? [match[1], match[2], match[3]]
    : ['file', '', path];
  return {
    root: `${Object.hasOwn(aliases, scheme) ? aliases[scheme] : scheme}://${
      scheme === 'file' ? '' : authority
    }`,
    folders: (scheme === 'file' ? `${authority}/${rest}` : rest)
      .split('/')
      .filter(Boolean),
  };
}

const hasDotDotSegment = (path: string) =>
  path.split('/').some(segment => segment === '..' || segment === '.');

const duration = (what = 'a duration such as "5 minutes"') =>
  z
    .string()
    .regex(DURATION_PATTERN, { error: `expected ${what}` })
    .meta({
      description:
        'A whole number and a unit: "10 minutes", "30 seconds", "2h".',
    });

const COLUMN_ERROR =
  'expected a column name (letters, digits and "_", not starting with a digit; "a.b" for a nested field)';

const column = z.string().regex(COLUMN_PATTERN, { error: COLUMN_ERROR });

const outputColumn = z.string().regex(OUTPUT_COLUMN_PATTERN, {
  error:
    'expected a column name (letters, digits and "_", not starting with a digit; may start with "@")',
});

const topic = z
  .string()
  .regex(KAFKA_TOPIC_PATTERN, {
    error:
      'expected a Kafka topic name: 1 to 249 characters of letters, digits, ".", "_" and "-"',
  })
  .refine(t => t !== '.' && t !== '..', {
    error: 'a topic cannot be named "." or ".."',
  })
  .refine(t => !t.startsWith('__'), {
    error:
      'topic names starting with "__" are reserved for Kafka\'s internal topics (__consumer_offsets, __transaction_state, ...)',
  })
  .refine(t => !t.startsWith('-'), {
    error:
      'a topic name must not start with "-": command-line tools would read it as an option',
  });

/**
 * A cluster named in app-config. Kubernetes object names are derived from it
 * (for a Kafka cluster the ConfigMap `kafka-<cluster>` and the Secret
 * `kafka-<cluster>-credentials`; for a search cluster
 * `elasticsearch-<cluster>` and `elasticsearch-<cluster>-credentials`), so it
 * is a DNS label.
 */
const namedCluster = (what: string) =>
  z.string().regex(/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/, {
    error: `expected the name of ${what}: at most 42 lower-case letters, digits and "-", starting and ending with a letter or digit`,
  });

const clusterName = namedCluster('a Kafka cluster configured in app-config');

/**
 * Backstage's rule for entity names, which is also a valid Kubernetes label
 * value (the generated objects carry owner and system as labels).
 */
const ENTITY_NAME = '(?=[A-Za-z0-9._-]{1,63}$)[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*';

/** Free text shown in the catalog: no invisible or bidirectional characters. */
const displayText = (max: number, multiline: boolean) =>
  z
    .string()
    .max(max)
    .superRefine((text, ctx) => {
      const found = invisibleCharacter(text, multiline);
      if (found) {
        ctx.addIssue({
          code: 'custom',
          message: `contains the invisible or control character ${found.name} at position ${found.position}; remove it (such characters can make the text read differently from what it is)`,
        });
      }
    });

const storagePath = (what: string) =>
  z
    .string()
    .regex(STORAGE_PATH_PATTERN, {
      error: `expected ${what}: an absolute path or a URI (s3a://, gs://, abfss://, hdfs://, file://, ...) without spaces or quotes`,
    })
    .refine(p => !hasDotDotSegment(p), {
      error: `${what} must not contain "." or ".." segments`,
    })
    .refine(p => storageLocation(p).folders.length > 0, {
      error: `${what} must be a folder, not the root of a file system or bucket`,
    });

const expression = (context: 'condition' | 'metric') =>
  z.string().superRefine((text, ctx) => {
    try {
      parseExpression(text, context);
    } catch (e) {
      if (e instanceof ExpressionError) {
        ctx.addIssue({
          code: 'custom',
          message: `at position ${e.position}: ${e.message}`,
          params: { suggestion: e.suggestion },
        });
      } else {
        throw e;
      }
    }
  });

/** A field of an inline schema. */
const fieldType = z.enum([
  'string',
  'int',
  'long',
  'float',
  'double',
  'boolean',
  'timestamp',
  'date',
  'binary',
  'decimal',
]);

const field = z.strictObject({
  name: outputColumn,
  type: fieldType,
  nullable: z.boolean().optional(),
  precision: z.number().int().min(1).max(38).optional(),
  scale: z.number().int().min(0).max(38).optional(),
  description: z.string().max(1000).optional(),
});

const schemaFile = z
  .string()
  .regex(SCHEMA_FILE_PATTERN, {
    error:
      'expected a relative path to an Avro (.avsc) or JSON Schema (.json) file in the pipeline repository',
  })
  .refine(p => !hasDotDotSegment(p.replace(/^\.\//, '')), {
    error: 'the schema path must stay inside the repository (no ".." segments)',
  });

/**
 * A subject of a schema registry: TopicNameStrategy's `<topic>-value`, or a
 * record name such as `com.acme.Order`.
 */
export const REGISTRY_SUBJECT_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;

const registryVersionError =
  'expected a version number (1, 2, ...) or "latest"';

const registrySchemaRef = z
  .strictObject({
    registry: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
      error:
        'expected the name of a schema registry in app-config (streaming.schemaRegistries), such as "local"',
    }),
    subject: z.string().regex(REGISTRY_SUBJECT_PATTERN, {
      error:
        'expected a subject name such as orders-value (letters, digits, ".", "_" and "-")',
    }),
    version: z
      .union(
        [
          z
            .number()
            .int({ error: registryVersionError })
            .min(1, { error: registryVersionError }),
          z.literal('latest'),
        ],
        {
          error: registryVersionError,
        },
      )
      .default('latest')
      .meta({
        description:
          'The version the pipeline is built for (its reader schema); the scaffolder pins "latest" to the number it resolves to.',
      }),
    message: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, {
        error:
          'expected the name of a message in the .proto, such as Order (or Order.Line for a nested one)',
      })
      .optional()
      .meta({
        description:
          "For Protobuf subjects (format: protobuf): the message the records are, named as in the .proto (Order, or Order.Line for a nested one); the .proto's first message when left out.",
      }),
  })
  .meta({
    description:
      "A subject of a schema registry named in app-config; its records are in the Confluent wire format (a magic byte and a 4-byte schema id before each body). Avro (format: avro): the job reads each record's writer schema from the registry by that id and resolves it to this version's schema, kept in the repository as schemas/<subject>.avsc. JSON Schema (format: json): the id must name a version of the subject, and the JSON text is read with this version's schema, kept as schemas/<subject>.schema.json. Protobuf (format: protobuf): the id must name a version of the subject, the message indexes after it the pipeline's message, and the message bytes are decoded with this version's .proto, kept as schemas/<subject>.proto (its descriptor set, schemas/<subject>.desc, is built with protoc when the job image is built).",
  });

const startingOffsets = z.enum(['earliest', 'latest']);

const kafkaCommon = {
  cluster: clusterName.optional(),
  topic,
  starting_offsets: startingOffsets.default('latest'),
  max_offsets_per_trigger: z.number().int().positive().optional(),
  fail_on_data_loss: z.boolean().optional(),
  schema: schemaFile.optional(),
  fields: z.array(field).min(1).max(1000).optional(),
};

const kafkaSource = z.strictObject({
  type: z.literal('kafka'),
  ...kafkaCommon,
  schema: z.union([schemaFile, registrySchemaRef]).optional(),
  format: z.enum(['json', 'avro', 'protobuf']).default('json').meta({
    description:
      'How record values are encoded: JSON text, Avro, or Protobuf (read with a schema registry subject only).',
  }),
  avro_wire_format: z.enum(['plain', 'confluent']).optional().meta({
    description:
      'For Avro payloads: "confluent" records start with magic byte 0 and a 4-byte schema id (a record without them is bad); with a registry subject as the schema each is read with the writer schema its id names, else the header is skipped and the schema file or fields read the rest.',
  }),
});

const debeziumSource = z.strictObject({
  type: z.literal('debezium'),
  ...kafkaCommon,
  format: z.literal('json').default('json'),
  database: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/, {
      error: 'expected a database name',
    })
    .optional(),
  table: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_$]{0,62}(\.[A-Za-z_][A-Za-z0-9_$]{0,62}){0,2}$/,
      {
        error: 'expected a table name such as public.users',
      },
    )
    .optional(),
  key: z.array(column).min(1).max(32),
  deletes: z.enum(['delete', 'soft_delete', 'ignore']).default('delete').meta({
    description:
      'What a delete event does: remove the row, mark it (_deleted = true), or nothing.',
  }),
});

const deltaSource = z.strictObject({
  type: z.literal('delta'),
  path: storagePath('a Delta table location'),
  fields: z.array(field).min(1).max(1000).optional(),
  starting_version: z.number().int().min(0).optional(),
  skip_change_commits: z.boolean().optional(),
  max_files_per_trigger: z.number().int().positive().optional(),
});

const filterStep = z.strictObject({
  type: z.literal('filter'),
  condition: expression('condition'),
});

const watermarkStep = z.strictObject({
  type: z.literal('watermark'),
  column,
  delay: duration(),
});

const metric = z
  .record(z.string().max(4000), outputColumn)
  .refine(m => Object.keys(m).length === 1, {
    error:
      'expected one "expression: alias" pair, such as "sum(amount): total_amount"',
  })
  .superRefine((m, ctx) => {
    for (const key of Object.keys(m)) {
      try {
        parseExpression(key, 'metric');
      } catch (e) {
        if (!(e instanceof ExpressionError)) {
          throw e;
        }
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `at position ${e.position}: ${e.message}`,
          params: { suggestion: e.suggestion },
        });
      }
    }
  });

const aggregateStep = z.strictObject({
  type: z.literal('aggregate'),
  window: duration().optional(),
  slide: duration().optional(),
  time_column: column.optional().meta({
    description:
      'The event-time column of the window; default: the watermark column.',
  }),
  group_by: z.array(column).max(32).default([]),
  metrics: z.array(metric).min(1).max(100),
});

const selectColumn = z.union([
  column,
  z.strictObject({
    name: column,
    alias: outputColumn.optional(),
    cast: fieldType.optional(),
  }),
]);

const selectStep = z.strictObject({
  type: z.literal('select'),
  columns: z.array(selectColumn).min(1).max(1000),
});

/** The JSON Schema of a part of the spec, to embed in another. */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input' });
  return rest;
}

/**
 * A mapping from column names to values. Any column name is data here,
 * `__proto__` and `constructor` included: the result is an object without a
 * prototype, built key by key (a zod record would drop `__proto__`). The
 * values need no transform, so the spec's JSON Schema keeps its defaults.
 */
const columnMap = <V extends z.ZodType>(value: V) =>
  z
    .custom<Record<string, z.output<V>>>(
      v => v !== null && typeof v === 'object' && !Array.isArray(v),
      { error: 'expected a mapping of column names' },
    )
    .superRefine((input, ctx) => {
      const keys = Object.keys(input);
      if (keys.length > 1000) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected at most 1000 columns',
        });
      }
      for (const key of keys.slice(0, 1000)) {
        if (!COLUMN_PATTERN.test(key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: COLUMN_ERROR });
        }
        const parsed = value.safeParse(input[key]);
        for (const issue of parsed.error?.issues ?? []) {
          ctx.addIssue({
            ...(issue as z.core.$ZodRawIssue),
            path: [key, ...issue.path],
          });
        }
      }
    })
    .overwrite(input =>
      Object.keys(input).reduce((out, key) => {
        out[key] = input[key];
        return out;
      }, Object.create(null) as Record<string, z.output<V>>),
    )
    .meta({
      type: 'object',
      propertyNames: { pattern: COLUMN_PATTERN.source },
      additionalProperties: jsonSchemaOf(value),
    });

const renameStep = z.strictObject({
  type: z.literal('rename'),
  columns: columnMap(outputColumn),
});

const castStep = z.strictObject({
  type: z.literal('cast'),
  columns: columnMap(fieldType),
});

const dropStep = z.strictObject({
  type: z.literal('drop'),
  columns: z.array(column).min(1).max(1000),
});

const deduplicateStep = z.strictObject({
  type: z.literal('deduplicate'),
  columns: z.array(column).min(1).max(32),
  within_watermark: z.boolean().optional().meta({
    description:
      'Use dropDuplicatesWithinWatermark (Spark 3.5+): state is kept only within the watermark delay.',
  }),
});

const joinStep = z.strictObject({
  type: z.literal('join'),
  table: z.strictObject({
    format: z.enum(['delta', 'parquet', 'json', 'csv']).default('delta'),
    path: storagePath('a table location'),
  }),
  on: z.array(column).min(1).max(16),
  how: z.enum(['inner', 'left']).default('left'),
  columns: z.array(column).max(1000).optional(),
  broadcast: z.boolean().optional(),
});

const transformation = z.discriminatedUnion('type', [
  filterStep,
  watermarkStep,
  aggregateStep,
  selectStep,
  renameStep,
  castStep,
  dropStep,
  deduplicateStep,
  joinStep,
]);

const checkpoint = storagePath('a checkpoint location').meta({
  description:
    'Where Spark keeps offsets and state. One per pipeline, never shared, never changed across restarts.',
});

const deltaSink = z.strictObject({
  type: z.literal('delta'),
  path: storagePath('a Delta table location'),
  mode: z.enum(['append', 'complete', 'merge']).default('append'),
  merge_keys: z.array(column).min(1).max(32).optional(),
  partition_by: z.array(column).max(8).optional(),
  zorder_by: z.array(column).max(8).optional(),
  schema_evolution: z.enum(['merge', 'none']).default('merge').meta({
    description:
      '"merge" lets new columns be added (mergeSchema); "none" fails on any change.',
  }),
  checkpoint,
  maintenance: z
    .strictObject({
      schedule: z
        .string()
        .max(200)
        .superRefine((text, ctx) => {
          const cron = parseCron(text);
          const message =
            cron.error ??
            (cron.schedule.minutes.length > 1
              ? `the schedule runs ${cron.schedule.minutes.length} times an hour; table maintenance runs at most once an hour (one minute value, such as "0 * * * *")`
              : undefined);
          if (message) {
            ctx.addIssue({ code: 'custom', message });
          }
        })
        .default('0 3 * * 0')
        .meta({
          description:
            'A cron schedule (UTC) such as "0 3 * * 0", or @weekly / @daily / @monthly; at most once an hour.',
        }),
      vacuum_retention_hours: z.number().int().min(168).max(8760).default(168),
      enabled: z.boolean().default(true),
    })
    .optional(),
});

const elasticsearchSink = z
  .strictObject({
    type: z.literal('elasticsearch'),
    index: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,254}$/, {
      error:
        'expected an Elasticsearch index name: lower-case letters, digits, ".", "_" and "-", not starting with "." or "_"',
    }),
    cluster: namedCluster(
      'a search cluster configured in app-config (streaming.search.clusters)',
    )
      .optional()
      .meta({
        description:
          'The search cluster named in app-config (streaming.search.clusters) that the index lives on; the job reads its node URLs and credentials from the environment. Either this or nodes.',
      }),
    nodes: z
      .string()
      .regex(
        /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(,https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)*$/,
        {
          error:
            'expected Elasticsearch node URLs such as http://es:9200 (comma-separated, no credentials: they come from the environment)',
        },
      )
      .optional()
      .meta({
        description:
          'The node URLs the index lives on, comma-separated. Either this or cluster.',
      }),
    id_column: column.optional(),
    write_operation: z.enum(['index', 'upsert']).optional(),
    checkpoint,
  })
  .superRefine((sink, ctx) => {
    if (sink.cluster !== undefined && sink.nodes !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodes'],
        message:
          'give either cluster (a search cluster named in app-config) or nodes, not both',
      });
    } else if (sink.cluster === undefined && sink.nodes === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['cluster'],
        message:
          'required: cluster (a search cluster named in app-config) or nodes (node URLs such as http://es:9200)',
      });
    }
  });

const kafkaSink = z.strictObject({
  type: z.literal('kafka'),
  cluster: clusterName.optional(),
  topic,
  key_column: column.optional(),
  checkpoint,
});

const sink = z.discriminatedUnion('type', [
  deltaSink,
  elasticsearchSink,
  kafkaSink,
]);

/**
 * Where the records that cannot be parsed go: a topic on the source's Kafka
 * cluster or a Delta quarantine table.
 */
const deadLetter = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('kafka'),
      topic: topic.meta({
        description:
          "Topic on the source's cluster that receives each bad record as it was read (key and value bytes), with the error and its source offsets in headers.",
      }),
    }),
    z.strictObject({
      type: z.literal('delta'),
      path: storagePath('a Delta table location').meta({
        description:
          'Delta table that receives each bad record: key and value bytes, the error, source topic, partition, offset and timestamp, and the pipeline.',
      }),
    }),
  ])
  .meta({
    description:
      "Where bad records go (Kafka and Debezium sources): JSON that is malformed, a value that does not convert to its field's type, a required (not nullable) field missing or null, a timestamp or date that does not read (nested fields too, named by path); Avro that does not decode, or lacks the Confluent header it should have; a change event without a known operation or its row image, or whose after image fails the JSON checks. Each is written as read, with the error naming the field. Without it they are counted and flow on with nulls (change events without an operation or row image are skipped).",
  });

const resources = z.strictObject({
  driver: z
    .strictObject({
      cores: z.number().int().min(1).max(64).default(1),
      memory: z
        .string()
        .regex(MEMORY_PATTERN, {
          error: 'expected a memory size such as "2g" or "512m"',
        })
        .default('2g'),
    })
    .optional(),
  executor: z
    .strictObject({
      cores: z.number().int().min(1).max(64).default(2),
      memory: z
        .string()
        .regex(MEMORY_PATTERN, {
          error: 'expected a memory size such as "4g" or "512m"',
        })
        .default('4g'),
      instances: z.number().int().min(1).max(1000).default(2),
      min_instances: z.number().int().min(0).max(1000).optional(),
      max_instances: z.number().int().min(1).max(1000).optional(),
    })
    .optional(),
});

const alertChannel = z.enum([
  'slack',
  'pagerduty',
  'email',
  'msteams',
  'opsgenie',
  'webhook',
  'none',
]);

const monitoring = z.strictObject({
  alert_on_lag: z.number().int().positive().max(604800).optional().meta({
    description: 'Alert when consumer lag exceeds this many seconds.',
  }),
  alert_on_lag_messages: z.number().int().positive().default(10000).meta({
    description:
      'Alert when consumer lag exceeds this many messages (default 10,000).',
  }),
  alert_channel: alertChannel.optional(),
});

const trigger = z.union([
  duration('a trigger interval such as "5 seconds", or "available_now"'),
  z.literal('available_now'),
]);

/** The name of an environment: part of Kubernetes names and progress keys. */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z]([-a-z0-9]{0,18}[a-z0-9])?$/;

const environment = z
  .strictObject({
    name: z.string().regex(ENVIRONMENT_NAME_PATTERN, {
      error:
        'expected an environment name: at most 20 lower-case letters, digits and "-", starting with a letter and not ending with "-"',
    }),
    kafka_cluster: clusterName.optional().meta({
      description:
        'The Kafka cluster (app-config) of this environment: replaces every Kafka cluster the pipeline reads or writes.',
    }),
    search_cluster: namedCluster('a search cluster configured in app-config')
      .optional()
      .meta({
        description:
          "The search cluster (streaming.search.clusters) of this environment: replaces the Elasticsearch sink's cluster.",
      }),
    kubernetes_cluster: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
        error: 'expected the name of a Kubernetes cluster in app-config',
      })
      .optional()
      .meta({
        description:
          'The Kubernetes cluster (app-config) the job runs on in this environment.',
      }),
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
        error:
          'expected a Kubernetes namespace: at most 63 lower-case letters, digits and "-"',
      })
      .meta({
        description:
          "The Kubernetes namespace of the job's SparkApplication in this environment (required: each environment names where it runs).",
      }),
    topic_prefix: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, {
        error:
          'expected a topic prefix: at most 64 letters, digits, ".", "_" and "-"',
      })
      .optional()
      .meta({
        description:
          'Put before every topic the pipeline reads or writes (source, Kafka sink, dead letters), such as "dev.".',
      }),
    table_prefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, {
        error:
          'expected a table prefix: at most 64 lower-case letters, digits, "_" and "-", starting with a letter or digit',
      })
      .optional()
      .meta({
        description:
          'Put before the last folder of every table location and checkpoint (source, join and sink tables, dead-letter table) and before the search index, such as "dev_".',
      }),
    resources: resources.optional().meta({
      description:
        "The job's resources in this environment: each of driver and executor given here replaces the pipeline's.",
    }),
    monitoring: z
      .strictObject({
        alert_on_lag: z.number().int().positive().max(604800).optional(),
        alert_on_lag_messages: z.number().int().positive().optional(),
        alert_channel: alertChannel.optional(),
      })
      .optional()
      .meta({
        description:
          "Alert thresholds and channel in this environment: each one given replaces the pipeline's.",
      }),
  })
  .meta({
    description:
      'Where and how the pipeline runs in one environment: the overrides of the spec there.',
  });

const environments = z
  .array(environment)
  .min(1)
  .max(10)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((env, index) => {
      if (seen.has(env.name)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `environment ${env.name} is declared twice`,
        });
      }
      seen.add(env.name);
    });
  })
  .meta({
    description:
      'The environments the pipeline runs in, in promotion order (for example dev, staging, prod): Create deploys to the first; a version moves to the next by the Promote pipeline template after its checks pass.',
  });

/**
 * The pipeline spec: the one schema from which types, JSON Schema and
 * validation come.
 *
 * @public
 */
export const pipelineSpecSchema = z.strictObject({
  pipeline: z.strictObject({
    name: z
      .string()
      .max(MAX_PIPELINE_NAME_LENGTH, {
        error: `expected at most ${MAX_PIPELINE_NAME_LENGTH} characters: the Spark Operator derives Kubernetes names (at most 63 characters) from it`,
      })
      .regex(PIPELINE_NAME_PATTERN, {
        error:
          'expected a Kubernetes name: lower-case letters, digits and "-", starting with a letter and not ending with "-"',
      }),
    title: displayText(100, false).optional(),
    description: displayText(2000, true).optional(),
    owner: z
      .string()
      .regex(
        new RegExp(
          `^((user|group):)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/)?${ENTITY_NAME}$`,
        ),
        {
          error:
            'expected an entity reference such as group:default/team-data (the name: at most 63 letters, digits and "-", "_" or "." between them)',
        },
      )
      .optional(),
    system: z
      .string()
      .regex(new RegExp(`^${ENTITY_NAME}$`), {
        error:
          'expected a system name: at most 63 letters, digits and "-", "_" or "." between them',
      })
      .optional(),
    lifecycle: z.enum(['experimental', 'production', 'deprecated']).optional(),
    tags: z
      .array(
        z
          .string()
          .regex(/^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/, { error: 'expected a tag' })
          .max(63),
      )
      .max(20)
      .optional(),
    source: z.discriminatedUnion('type', [
      kafkaSource,
      debeziumSource,
      deltaSource,
    ]),
    transformations: z.array(transformation).max(100).default([]),
    sink,
    dead_letter: deadLetter.optional(),
    trigger: trigger.optional(),
    resources: resources.optional(),
    monitoring: monitoring.optional(),
    environments: environments.optional(),
  }),
});

/**
 * A validated pipeline spec (defaults applied).
 *
 * @public
 */
export type PipelineSpec = z.output<typeof pipelineSpecSchema>;

/**
 * A pipeline spec as written (before defaults).
 *
 * @public
 */
export type PipelineSpecInput = z.input<typeof pipelineSpecSchema>;

/** @public */
export type PipelineSource = PipelineSpec['pipeline']['source'];
/** @public */
export type PipelineSink = PipelineSpec['pipeline']['sink'];
/** @public */
export type PipelineDeadLetter = NonNullable<
  PipelineSpec['pipeline']['dead_letter']
>;
/** @public */
export type PipelineTransformation =
  PipelineSpec['pipeline']['transformations'][number];
/** @public */
export type PipelineField = z.output<typeof field>;
/** @public */
export type PipelineFieldType = z.output<typeof fieldType>;
/** @public */
export type PipelineEnvironment = z.output<typeof environment>;
/** @public */
export type PipelineRegistrySchema = z.output<typeof registrySchemaRef>;
