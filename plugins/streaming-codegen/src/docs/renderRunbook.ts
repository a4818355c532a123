import {
  outputMode,
  resolveResources,
  type PipelineSpec,
} from '@internal/plugin-streaming-common';
import { jobSettings } from '../job/jobSettings';
import type { PipelineDescription } from './describePipeline';
import { describeSourceSchema } from './describeSourceSchema';
import { pyStr } from '../python/pyLiteral';
import {
  code,
  codeBlock,
  commands,
  md,
  num,
  shellWord,
  table,
} from './markdown';
import { RUNBOOK_SECTIONS, RunbookSection } from './runbookSections';

/**
 * Where the generated SparkApplication manifest is, in the pipeline
 * repository: one per environment when the spec declares environments.
 */
const manifest = (spec: PipelineSpec) =>
  spec.pipeline.environments
    ? 'deploy/$ENVIRONMENT/spark-application.yaml'
    : 'deploy/spark-application.yaml';

/**
 * The environment variable of each setting of the job, by key, for the spec
 * whose page is being written: worked out once per page rather than once per
 * variable named ({@link renderRunbook} starts it afresh).
 */
let settingEnvs: { spec: PipelineSpec; envs: Map<string, string> } | undefined;

/** The environment variable of the generated job that overrides a setting. */
function settingEnv(spec: PipelineSpec, key: string): string {
  if (settingEnvs?.spec !== spec) {
    const envs = new Map<string, string>();
    for (const setting of jobSettings(spec)) {
      // The first setting of a key, as a search would find.
      if (!envs.has(setting.key)) envs.set(setting.key, setting.env);
    }
    settingEnvs = { spec, envs };
  }
  const env = settingEnvs.envs.get(key);
  if (env === undefined) {
    throw new Error(`the generated job has no setting ${key}`);
  }
  return env;
}

/** With environments: where each one's deployment is and what differs there. */
function environmentsNote(spec: PipelineSpec): string[] {
  const environments = spec.pipeline.environments;
  if (!environments) {
    return [];
  }
  return [
    '',
    `The pipeline runs in ${environments
      .map(e => code(e.name))
      .join(
        ', ',
      )} (in promotion order); \`$ENVIRONMENT\` names one. The topics, tables and`,
    "checkpoint on this page are the spec's own values: each environment's manifests in",
    '`deploy/$ENVIRONMENT/` set what differs there (its `PIPELINE_*` variables, its namespace),',
    `and its query name is ${code(`${spec.pipeline.name}@$ENVIRONMENT`)}.`,
  ];
}

/** Each section's heading and a link to it, written once at module load. */
const SECTION_TEXT = Object.fromEntries(
  (Object.keys(RUNBOOK_SECTIONS) as RunbookSection[]).map(section => [
    section,
    {
      heading: `## ${RUNBOOK_SECTIONS[section]} {#${section}}`,
      link: `[${RUNBOOK_SECTIONS[section].toLowerCase()}](#${section})`,
    },
  ]),
) as Record<RunbookSection, { heading: string; link: string }>;

const heading = (section: RunbookSection) => SECTION_TEXT[section].heading;

const link = (section: RunbookSection) => SECTION_TEXT[section].link;

/**
 * `docs/runbook.md` of a pipeline: one section per alert and operation, with
 * this pipeline's names, paths and thresholds filled in.
 */
export function renderRunbook(
  spec: PipelineSpec,
  d: PipelineDescription,
): string {
  settingEnvs = undefined;
  const p = spec.pipeline;
  const name = p.name;
  const sections = [
    [
      `# Runbook: ${d.title}`,
      '',
      `What to do when ${code(
        name,
      )} alerts, and how to restart, recover and reprocess`,
      "it safely. Every step names this pipeline's own topics, paths and thresholds.",
      '',
      table(
        ['', ''],
        [
          ['Spark application and query name', code(name)],
          ['Driver pod', code(`${name}-driver`)],
          ['Source', d.source],
          ['Sink', d.sink],
          ['Checkpoint', d.checkpoint],
          ['Trigger', d.trigger],
          ...(d.channel ? [['Alerts go to', code(d.channel)]] : []),
        ],
      ),
      '',
      "Commands run in the pipeline's repository and use `$NAMESPACE` for the Kubernetes",
      'namespace the pipeline runs in and `$BOOTSTRAP` for the brokers of its Kafka cluster.',
      `Settings of the job are overridden by environment variables of the driver (\`spec.driver.env\` in \`${manifest(
        spec,
      )}\`).`,
      ...environmentsNote(spec),
    ],
    lagSection(spec, d),
    failedSection(spec),
    staleSection(spec),
    restartSection(spec),
    checkpointSection(spec, d),
    reprocessingSection(spec),
    schemaSection(spec),
    dataLossSection(spec, d),
    deadLetterSection(spec),
  ];
  return `${sections
    .filter(lines => lines.length > 0)
    .map(lines => lines.join('\n'))
    .join('\n\n')}\n`;
}

function lagSection(spec: PipelineSpec, d: PipelineDescription): string[] {
  const p = spec.pipeline;
  const { executor } = resolveResources(spec);
  const kafka = p.source.type !== 'delta';
  const thresholds = [
    ...(d.lagSeconds !== undefined ? [`${num(d.lagSeconds)} seconds`] : []),
    `${num(d.lagMessages)} messages`,
  ].join(' or ');
  const out = [heading('lag'), ''];
  if (p.source.type === 'delta') {
    out.push(
      'This pipeline reads a Delta table, not Kafka: it has no consumer lag. A pipeline',
      'that falls behind its source table shows long micro-batches; scale it as below.',
      '',
    );
  } else {
    out.push(
      `The alert is **critical** when the lag on ${code(
        p.source.topic,
      )} exceeds ${thresholds}, and a **warning** above half of that. Lag is`,
      "the topic's latest offsets minus the offsets the query has processed (from its",
      'newest micro-batch); Spark keeps its offsets in the checkpoint, not in a consumer group.',
      '',
    );
  }
  out.push(
    "1. Open the pipeline's **Streaming** tab. If the application is not running, go to",
    `   ${link('failed')}; if no micro-batch arrives, to ${link('stale')}.`,
    ...(kafka
      ? [
          '1. Look at the lag per partition. Lag on one partition only means a hot key or a',
          '   slow partition: more executors will not help; look at the producer and the key.',
        ]
      : []),
    p.trigger && p.trigger !== 'available_now'
      ? `1. Compare input and processed rows per second, and the batch duration with the trigger interval (${md(
          p.trigger,
        )}): batches that take longer mean the pipeline cannot keep up at its current size.`
      : '1. Compare input and processed rows per second: processing below input means the pipeline cannot keep up at its current size.',
  );
  if (executor.max_instances !== undefined) {
    out.push(
      `1. Scale out. Executors scale between ${md(
        executor.min_instances ?? executor.instances,
      )} and ${md(executor.max_instances)} instances with dynamic`,
      '   allocation. When the page says the executors are at their maximum, raise',
      '   `resources.executor.max_instances` in `pipeline.yaml`, render and deploy, then',
      `   ${link('restart')}.`,
    );
  } else {
    out.push(
      `1. Scale out: raise \`resources.executor.instances\` (now ${md(
        executor.instances,
      )}) or set`,
      '   `resources.executor.max_instances` for dynamic allocation in `pipeline.yaml`,',
      `   render and deploy, then ${link('restart')}.`,
    );
  }
  out.push(
    kafka
      ? '   Parallelism is executors times cores; beyond the number of partitions of the topic it buys nothing.'
      : '   Parallelism is executors times cores; beyond the number of files of a batch it buys nothing.',
  );
  if (p.source.type !== 'delta') {
    out.push(
      `1. Bound the batches: \`source.max_offsets_per_trigger\` (now ${
        p.source.max_offsets_per_trigger !== undefined
          ? md(p.source.max_offsets_per_trigger)
          : 'unset: a backlog is read in one batch'
      }) lets a backlog drain in batches of predictable duration.`,
    );
  }
  if (d.stateful.length) {
    out.push(
      '1. This pipeline keeps state (aggregations or deduplication). Check the state',
      '   operators on the Streaming tab: state that keeps growing means the watermark is',
      '   not advancing (no events with a recent event time, or a very long delay).',
    );
  }
  return out;
}

function failedSection(spec: PipelineSpec): string[] {
  const p = spec.pipeline;
  const name = p.name;
  const { driver, executor } = resolveResources(spec);
  return [
    heading('failed'),
    '',
    'The `SparkApplication` is `FAILED` or `SUBMISSION_FAILED`, or keeps restarting.',
    '',
    '1. Read the state and the error message, then the driver log:',
    '',
    commands([
      `kubectl -n $NAMESPACE get sparkapplication ${shellWord(
        name,
      )} -o jsonpath='{.status.applicationState}'`,
      `kubectl -n $NAMESPACE logs ${shellWord(name)}-driver --tail=200`,
    ]),
    '',
    '1. Find the error in the table below and do what it says.',
    `1. When the cause is fixed, ${link('restart')}.`,
    '',
    table(
      ['error in the driver log', 'cause', 'what to do'],
      [
        [
          '`OutOfMemoryError`, executor lost',
          'too little memory',
          `raise \`resources.driver.memory\` (now ${md(
            driver.memory,
          )}) or \`resources.executor.memory\` (now ${md(executor.memory)})`,
        ],
        [
          '`Some data may have been lost`, `OffsetOutOfRange`',
          'offsets deleted by retention',
          link('data-loss'),
        ],
        [
          'state schema or checkpoint incompatible',
          'a change that must not cross a restart',
          link('checkpoint-recovery'),
        ],
        [
          '`AnalysisException` on write, schema mismatch',
          'the data changed shape',
          link('schema-evolution'),
        ],
        [
          'connection refused or timed out',
          'a broker or the sink is down',
          'fix the dependency; the query resumes from its checkpoint',
        ],
        ...searchClusterRows(spec),
      ],
    ),
  ];
}

/**
 * For an Elasticsearch sink on a named search cluster: what the driver shows
 * when the cluster's ConfigMap is missing from the namespace.
 */
function searchClusterRows(spec: PipelineSpec): string[][] {
  const sink = spec.pipeline.sink;
  if (sink.type !== 'elasticsearch' || !sink.cluster) {
    return [];
  }
  const configMap = `elasticsearch-${sink.cluster}`;
  return [
    [
      `the driver pod waits with \`configmap "${configMap}" not found\`, or \`ELASTICSEARCH_NODES is not set\``,
      `the node URLs of search cluster ${code(
        sink.cluster,
      )} are not in the namespace`,
      `create the ConfigMap ${code(
        configMap,
      )} with the key \`nodes\` (node URLs, comma-separated) and, when the cluster needs credentials, the Secret ${code(
        `${configMap}-credentials`,
      )} (\`ELASTICSEARCH_API_KEY\`, or \`ELASTICSEARCH_USERNAME\` and \`ELASTICSEARCH_PASSWORD\`)`,
    ],
  ];
}

function staleSection(spec: PipelineSpec): string[] {
  const p = spec.pipeline;
  return [
    heading('stale'),
    '',
    "No micro-batch progress has arrived for longer than the platform's stale interval",
    '(five minutes unless configured otherwise). A running query reports progress even',
    'when its source is idle, so this means the query is stopped, stuck, or cannot',
    'publish its progress.',
    '',
    ...(p.trigger === 'available_now'
      ? [
          'This pipeline runs with the `available_now` trigger: it stops by itself once it has',
          'processed what was there, so it is stale between runs by design.',
          '',
        ]
      : []),
    `1. Is it running? Check the state on the Streaming tab or with`,
    `   \`kubectl -n $NAMESPACE get sparkapplication\`; if it failed, go to ${link(
      'failed',
    )}.`,
    '1. Is it stuck in one batch? The driver log shows the batch it started last; a',
    '   batch that never ends is often a sink that does not answer.',
    '1. Is the progress published? The driver log names errors of the progress publisher;',
    `   the platform's progress topic (\`streaming.progress\` unless configured otherwise)`,
    `   should carry events keyed ${code(p.name)}:`,
    '',
    commands([
      'kafka-console-consumer.sh --bootstrap-server $BOOTSTRAP --topic streaming.progress \\',
      `  --property print.key=true | grep '^${shellWord(p.name)}'`,
    ]),
  ];
}

function restartSection(spec: PipelineSpec): string[] {
  const p = spec.pipeline;
  const start =
    p.source.type === 'delta'
      ? ''
      : ` The starting offsets (${md(
          p.source.starting_offsets,
        )}) apply only to the very first start, with an empty checkpoint.`;
  return [
    heading('restart'),
    '',
    `A restart resumes from the checkpoint ${code(
      p.sink.checkpoint,
    )}: nothing is read twice or skipped.${start}`,
    '',
    '1. Stop it gracefully: the generated job stops its query at the end of the current',
    '   micro-batch when it receives `SIGTERM`.',
    '',
    commands([
      `kubectl -n $NAMESPACE delete sparkapplication ${shellWord(p.name)}`,
      `kubectl -n $NAMESPACE apply -f ${manifest(spec)}`,
    ]),
    '',
    '1. Check that batches arrive again on the Streaming tab, that the batch ids go on from',
    '   where they stopped (not from 0: a 0 means a new, empty checkpoint), and that lag falls.',
    '',
    `Before changing \`pipeline.yaml\` across a restart, read ${link(
      'checkpoint-recovery',
    )}.`,
  ];
}

function checkpointSection(
  spec: PipelineSpec,
  d: PipelineDescription,
): string[] {
  const p = spec.pipeline;
  const keep = [
    `the checkpoint location ${d.checkpoint}; it belongs to this pipeline alone`,
    p.source.type === 'delta'
      ? `the source table ${code(p.source.path)}`
      : `the source topic ${code(p.source.topic)}${
          p.source.cluster ? ` on cluster ${code(p.source.cluster)}` : ''
        }`,
    ...d.stateful.map(
      t =>
        `the ${
          t.type === 'aggregate'
            ? 'grouping, window and metrics'
            : 'deduplication columns'
        } of ${describeStep(t)}, and the types of the columns they read`,
    ),
    ...p.transformations
      .filter(t => t.type === 'watermark')
      .map(t => `the watermark column ${code(t.column)}`),
    p.sink.type === 'delta'
      ? `the output mode ${code(p.sink.mode)} and the table ${code(
          p.sink.path,
        )}`
      : `the sink (${d.sink})`,
  ];
  return [
    heading('checkpoint-recovery'),
    '',
    `The checkpoint ${d.checkpoint} holds the offsets of every micro-batch and the state`,
    'of stateful operators. It must survive restarts, and a restarted query must be',
    'compatible with it.',
    '',
    '**Must not change across a restart** (otherwise start a new checkpoint, below):',
    '',
    ...keep.map(item => `- ${item}`),
    '',
    '**May change**: resources, the trigger, `max_offsets_per_trigger`, and stateless steps',
    '(filters, selects) as long as the columns that feed state keep their names and types.',
    '',
    'When the checkpoint is lost, corrupt or incompatible:',
    '',
    '1. Stop the pipeline and keep the old checkpoint: copy it next to itself with a date',
    '   suffix, never delete it first.',
    '1. Read where it stopped: the newest file under `offsets/` of the checkpoint holds the',
    '   offsets per partition of the last planned batch, `commits/` the batches that',
    '   completed.',
    `1. Start again with a new, empty checkpoint from those offsets, as in ${link(
      'reprocessing',
    )}.`,
    ...(d.stateful.length
      ? [
          '   State (open windows, deduplication keys) does not move to a new checkpoint: start',
          '   early enough to rebuild it (one window plus the watermark delay) and remove the',
          '   rows written twice from the sink.',
        ]
      : []),
  ];
}

function reprocessingSection(spec: PipelineSpec): string[] {
  const p = spec.pipeline;
  const source = p.source;
  const sinkAdvice = (() => {
    const sink = p.sink;
    switch (sink.type) {
      case 'delta':
        return sink.mode === 'merge'
          ? `The sink merges on ${
              sink.merge_keys?.map(k => code(k)).join(', ') ?? 'its keys'
            }: reprocessed rows overwrite themselves.`
          : `The sink appends: delete the reprocessed range from ${code(
              sink.path,
            )} first (a \`DELETE\` on the time column), or it will hold those rows twice.`;
      case 'elasticsearch':
        return sink.id_column
          ? `Documents are indexed by ${code(
              sink.id_column,
            )}: reprocessed rows overwrite themselves.`
          : `Documents have no id column: delete the reprocessed range from ${code(
              sink.index,
            )} first (delete by query), or it will hold them twice.`;
      case 'kafka':
        return `Consumers of ${code(
          sink.topic,
        )} will see the reprocessed records again: tell them first.`;
      default:
        return '';
    }
  })();
  const find =
    source.type === 'delta'
      ? [
          `1. Pick the table version of ${code(
            source.path,
          )} to start from (\`DESCRIBE HISTORY\`).`,
        ]
      : [
          `1. Find the offsets of ${code(
            source.topic,
          )} at the time to start from (milliseconds since the epoch):`,
          '',
          commands([
            `kafka-get-offsets.sh --bootstrap-server $BOOTSTRAP --topic ${shellWord(
              source.topic,
            )} --time 1700000000000`,
          ]),
          '',
        ];
  return [
    heading('reprocessing'),
    '',
    ...(source.type === 'delta' ? [] : backfillSteps(spec)),
    source.type === 'delta'
      ? 'A query resumes from its checkpoint and ignores where the spec says to start, so'
      : 'To move the pipeline itself to another starting point instead (a lost or incompatible',
    source.type === 'delta'
      ? 'reprocessing means a new checkpoint with an explicit starting point.'
      : 'checkpoint): a query resumes from its checkpoint and ignores where the spec says to start, so start it on a new checkpoint with an explicit starting point.',
    '',
    ...find,
    `1. ${sinkAdvice}`,
    `1. Stop the pipeline (${link('restart')}).`,
    `1. Start the job with a new checkpoint next to ${code(
      p.sink.checkpoint,
    )} (for example with a date suffix) in \`${settingEnv(
      spec,
      'checkpoint',
    )}\`, and`,
    source.type === 'delta'
      ? `   the version in \`${settingEnv(spec, 'source_starting_version')}\`.`
      : `   the offsets per partition in \`${settingEnv(
          spec,
          'starting_offsets',
        )}\`, as Spark takes them: \`{"${shellWord(
          source.topic,
        )}": {"0": 1200, "1": 1180}}\`. Once it runs, make the new checkpoint the spec's \`sink.checkpoint\`.`,
    `1. Watch the ${
      source.type === 'delta' ? 'batches' : 'lag'
    } on the Streaming tab until the new run has caught up, and keep the old checkpoint until then.`,
  ];
}

/**
 * Backfill of a Kafka source: the Backfill pipeline template (the
 * streaming:pipeline:backfill action) and the job's settings it sets.
 */
function backfillSteps(spec: PipelineSpec): string[] {
  const p = spec.pipeline;
  const sink = p.sink;
  if (sink.type === 'delta' && outputMode(spec) === 'complete') {
    return [
      'The sink is rewritten whole by each batch (complete mode): the job refuses a backfill, which',
      'would leave only the range in it.',
      '',
    ];
  }
  let sinkNote: string;
  if (sink.type === 'delta' && sink.mode === 'merge') {
    sinkNote = `The sink merges on ${
      sink.merge_keys?.map(k => code(k)).join(', ') ?? 'its keys'
    }: reprocessed rows overwrite themselves, and each batch is merged once.`;
  } else if (sink.type === 'delta') {
    sinkNote = `Each batch is appended to ${code(
      sink.path,
    )} once, however often the backfill runs or restarts; rows of the range the pipeline already wrote are appended again, so delete the range first (a \`DELETE\` on the time column) when they are there.`;
  } else if (sink.type === 'elasticsearch' && sink.id_column) {
    sinkNote = `Documents are indexed by ${code(
      sink.id_column,
    )}: reprocessed rows overwrite themselves.`;
  } else if (sink.type === 'elasticsearch') {
    sinkNote = `Documents have no id column: delete the range from ${code(
      sink.index,
    )} first (delete by query), or it will hold them twice.`;
  } else {
    sinkNote = `Consumers of ${code(
      (sink as { topic: string }).topic,
    )} will see the reprocessed records again: tell them first.`;
  }
  const topic = p.source.type === 'delta' ? '' : p.source.topic;
  return [
    `To reprocess a range of ${code(
      topic,
    )} into the sink while the pipeline runs on, backfill it: the **Backfill**`,
    "button of the Streaming tab's Operations card opens the **Backfill pipeline** template with",
    'this pipeline chosen (run it as a dry run first).',
    '',
    '1. Give a backfill id, where to start and where to end (exclusive; empty: the end of each',
    '   partition when it starts): offsets per partition as JSON, such as `{"0": 1200, "1": 1180}`',
    '   (only the partitions named are read), or times, such as `2026-11-29T22:00:00Z`.',
    `1. ${sinkNote}`,
    `1. It runs this pipeline's job once as its own SparkApplication ${code(
      `${p.name}-backfill-<id>`,
    )}, with`,
    '   `PIPELINE_BACKFILL_ID`, `PIPELINE_BACKFILL_FROM` and `PIPELINE_BACKFILL_TO` in its environment:',
    `   the \`availableNow\` trigger, its own checkpoint (${code(
      `backfill-<id>`,
    )} inside ${code(sink.checkpoint)}), and it stops when`,
    `   the range is read. Its progress events are those of ${code(
      `${p.name}-backfill-<id>`,
    )} on the progress topic.`,
    '1. The same id again does nothing more; another range needs another id.',
    '',
  ];
}

function schemaSection(spec: PipelineSpec): string[] {
  const p = spec.pipeline;
  const source = p.source;
  let declared = describeSourceSchema(source);
  if (!declared && source.fields) {
    declared = 'the `fields` of `source` in `pipeline.yaml`';
  }
  const out = [heading('schema-evolution'), ''];
  out.push(
    declared
      ? `The job reads the fields declared in ${declared}. Fields the producers add are ignored until they are declared there.`
      : 'This pipeline declares no schema: fields reach the sink as the producers write them.',
    '',
    'schema' in source && typeof source.schema === 'object'
      ? "- **Adding a field**: producers register a new version with it (optional, or with a default); the job keeps reading their records with the pinned version's fields. To write the field, pin the new version in `pipeline.yaml`, render and deploy."
      : '- **Adding a field**: declare it (optional, or with a default for Avro), render and deploy.',
    '- **Removing or renaming a field** the transformations use breaks the job: change the',
    '  transformations in the same change, and mind the state rules in',
    `  ${link('checkpoint-recovery')}.`,
    '- **Changing a type**: treat it as removing a field and adding another.',
  );
  const sink = p.sink;
  if (sink.type === 'delta') {
    out.push(
      sink.schema_evolution === 'merge'
        ? `- **The table** ${code(
            sink.path,
          )} takes new columns by itself (\`mergeSchema\`). Dropping or renaming a column needs Delta column mapping (\`delta.columnMapping.mode = name\`), and a type change a rewrite of the table while the pipeline is stopped.`
        : `- **The table** ${code(
            sink.path,
          )} refuses any change (\`schema_evolution: none\`): alter it first (\`ALTER TABLE ... ADD COLUMNS\`), then deploy.`,
    );
  } else if (sink.type === 'elasticsearch') {
    out.push(
      `- **The index** ${code(
        sink.index,
      )} maps new fields dynamically; a changed type needs a new index and a reindex.`,
    );
  } else {
    out.push(
      `- **The topic** ${code(
        sink.topic,
      )}: its consumers must accept the new shape before it is deployed.`,
    );
  }
  return out;
}

function dataLossSection(spec: PipelineSpec, d: PipelineDescription): string[] {
  const p = spec.pipeline;
  const source = p.source;
  if (source.type === 'delta') {
    return [
      heading('data-loss'),
      '',
      `\`VACUUM\` on ${code(
        source.path,
      )} deleted files this pipeline had not read yet (errors about missing files).`,
      `Start from a version still there as in ${link(
        'reprocessing',
      )}, and make the source table's \`VACUUM\` retention longer than this pipeline can ever fall behind.`,
    ];
  }
  const failOnLoss = source.fail_on_data_loss ?? true;
  return [
    heading('data-loss'),
    '',
    `Kafka deleted messages of ${code(
      source.topic,
    )} (retention) before this pipeline read them: the offsets it`,
    "would read next are below the partition's log start. The Streaming tab marks those",
    'partitions `below-log-start`.',
    failOnLoss
      ? 'With `fail_on_data_loss` on (the default), the query fails with `Some data may have been lost`.'
      : 'With `fail_on_data_loss: false`, the query goes on from the earliest offset still there.',
    '',
    '1. Measure the gap: per partition, the earliest offset still there minus the offset the',
    '   pipeline had reached is the number of messages lost.',
    '',
    commands([
      `kafka-get-offsets.sh --bootstrap-server $BOOTSTRAP --topic ${shellWord(
        source.topic,
      )} --time -2`,
    ]),
    '',
    '1. Decide with the data owners: replay the lost range from upstream into the topic, or',
    `   accept it and go on. To go on, set \`${settingEnv(
      spec,
      'fail_on_data_loss',
    )}=false\` for one ${link('restart')}, then remove it again.`,
    ...(d.stateful.length
      ? [
          '1. Results that cover the gap (windows, counts) are incomplete: flag them downstream.',
        ]
      : []),
    "1. Prevent the next time: the topic's retention must be far longer than the lag at",
    '   which this pipeline alerts.',
    '',
    commands([
      `kafka-configs.sh --bootstrap-server $BOOTSTRAP --entity-type topics --entity-name ${shellWord(
        source.topic,
      )} --describe`,
    ]),
  ];
}

function describeStep(
  t: PipelineSpec['pipeline']['transformations'][number],
): string {
  if (t.type === 'aggregate') {
    return `the aggregation${
      t.group_by.length ? ` by ${t.group_by.map(c => code(c)).join(', ')}` : ''
    }${t.window ? ` in windows of ${md(t.window)}` : ''}`;
  }
  if (t.type === 'deduplicate') {
    return `the deduplication on ${t.columns.map(c => code(c)).join(', ')}`;
  }
  return md(t.type);
}

/** What makes a record of the source bad (the runtime's decoders: `json_bad`, `debezium_bad`, Avro or Protobuf that does not decode). */
function badRecords(source: PipelineSpec['pipeline']['source']): string {
  if (source.type === 'kafka' && typeof source.schema === 'object') {
    if (source.format === 'protobuf') {
      return "records without the Confluent header, with a schema id that is not a Protobuf version of the pipeline's subject in the registry, whose message indexes name another message than the pipeline's, or whose message bytes do not decode as that message, such as a truncated record";
    }
    return source.format === 'avro'
      ? "records without the Confluent header, with a schema id the registry does not have, or whose body does not decode with the writer schema its id names or does not resolve to the pipeline's version"
      : "records without the Confluent header, with a schema id that is not a JSON Schema version of the pipeline's subject in the registry, or whose JSON is malformed, holds a value of another type than the schema says, lacks a required field or has it null, or has a timestamp or date that reads as neither ISO text nor an epoch number";
  }
  if (source.type === 'kafka' && source.format === 'avro') {
    return source.avro_wire_format === 'confluent'
      ? 'records without the Confluent header (magic byte 0 and a 4-byte schema id), or whose body does not decode as Avro with the schema, such as a truncated record'
      : 'records that do not decode as Avro with the schema, such as a truncated record';
  }
  if (source.type === 'debezium') {
    return 'change events that are not valid JSON, have no known operation (c, r, u, d) or no row image for it (after; before for a delete), or whose after image holds a value of another type than the schema says, lacks a required field or has it null, or has a timestamp or date that does not read';
  }
  return 'JSON that is malformed, holds a value of another type than the schema says, lacks a required field (not nullable in the schema) or has it null, or has a timestamp or date that reads as neither ISO text nor an epoch number';
}

/** What becomes of bad records without a dead-letter target (the runtime's decoders). */
function flowOn(source: PipelineSpec['pipeline']['source']): string {
  if (
    source.type === 'kafka' &&
    (source.format === 'avro' || source.format === 'protobuf')
  ) {
    return 'flow on as rows of nulls.';
  }
  if (source.type === 'debezium') {
    return 'are skipped when they do not parse or have no known change operation or row image; a value that does not fit, a missing required field or an unreadable time flows on as a null in its column.';
  }
  const unread =
    source.type === 'kafka' && typeof source.schema === 'object'
      ? "a record without the Confluent header or with a schema id that is not of the pipeline's subject, or a malformed one"
      : 'a malformed record';
  return `flow on as rows with nulls (${unread}: every column null; a value that does not fit, a missing required field or an unreadable time: that column null).`;
}

function deadLetterSection(spec: PipelineSpec): string[] {
  const p = spec.pipeline;
  const { source, dead_letter: deadLetter } = p;
  if (source.type === 'delta') {
    return [];
  }
  const counted =
    'Every progress event counts them (`observedMetrics.pipeline.bad_records`); the Streaming tab shows them per batch and over its window.';
  if (!deadLetter) {
    return [
      heading('dead-letter'),
      '',
      `Bad records of ${code(source.topic)} (${badRecords(source)})`,
      flowOn(source),
      counted,
      'To keep them aside instead, with their bytes, the error and their offsets, add a `dead_letter`',
      'target (a Kafka topic or a Delta table) to `pipeline.yaml` and render again.',
    ];
  }
  const where =
    deadLetter.type === 'kafka'
      ? `the topic ${code(deadLetter.topic)} (on the source's cluster)`
      : `the Delta table ${code(deadLetter.path)}`;
  const read =
    deadLetter.type === 'kafka'
      ? [
          'bad = (',
          '    spark.read.format("kafka")',
          '    .option("kafka.bootstrap.servers", BOOTSTRAP)',
          `    .option("subscribe", ${pyStr(deadLetter.topic)})`,
          '    .option("includeHeaders", "true")',
          '    .load()',
          ')',
          'errors = F.map_from_entries("headers")',
          'bad.select(F.expr("CAST(value AS STRING)"), errors["dead-letter.error"].cast("string"),',
          '           errors["dead-letter.partition"].cast("string"), errors["dead-letter.offset"].cast("string")).show(truncate=False)',
        ]
      : [
          `bad = spark.read.format("delta").load(${pyStr(deadLetter.path)})`,
          'bad.select(F.expr("CAST(value AS STRING)"), "error", "partition", "offset", "timestamp").show(truncate=False)',
        ];
  return [
    heading('dead-letter'),
    '',
    `Bad records of ${code(source.topic)} (${badRecords(source)})`,
    `are left out of the pipeline and written to ${where} by a second query of the job`,
    `(query name ${code(`dead-letter/${p.name}`)}, its checkpoint ${code(
      'dead-letter',
    )} inside the pipeline's, or \`${settingEnv(
      spec,
      'dead_letter_checkpoint',
    )}\`).`,
    deadLetter.type === 'kafka'
      ? 'Each keeps its key and value bytes as read; headers carry `dead-letter.error`, `dead-letter.pipeline`, `dead-letter.topic`, `dead-letter.partition`, `dead-letter.offset` and `dead-letter.timestamp` (epoch milliseconds).'
      : 'Each row has `key` and `value` (the bytes as read), `error`, `pipeline`, `topic`, `partition`, `offset` and `timestamp`.',
    `${counted} Of those, \`dead_letter_records\` went to the dead-letter target.`,
    '',
    '1. Inspect them (PySpark, e.g. `scripts/spark.sh python` locally; `BOOTSTRAP` is the brokers):',
    '',
    codeBlock('python', [
      'from pyspark.sql import SparkSession',
      'from pyspark.sql import functions as F',
      '',
      'spark = SparkSession.builder.getOrCreate()',
      ...read,
    ]),
    '',
    '1. Fix the cause: the producer that wrote them, or the schema in `pipeline.yaml` when the',
    `   records are right (see ${link('schema-evolution')}).`,
    '',
    '1. Replay: once the pipeline reads them correctly, write their key and value back to the',
    '   source topic (the bytes are unchanged, so the pipeline reads them as new records; filter',
    '   `bad` first to replay only some):',
    '',
    codeBlock('python', [
      '(',
      '    bad.select("key", "value")',
      '    .write.format("kafka")',
      '    .option("kafka.bootstrap.servers", BOOTSTRAP)',
      `    .option("topic", ${pyStr(source.topic)})`,
      '    .save()',
      ')',
    ]),
  ];
}
