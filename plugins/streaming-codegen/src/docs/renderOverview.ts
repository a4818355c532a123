import {
  outputColumns,
  resolveResources,
  type PipelineSpec,
} from '@internal/plugin-streaming-common';
import { jobSettings } from '../job/jobSettings';
import { describeSourceSchema } from './describeSourceSchema';
import type { PipelineDescription } from './describePipeline';
import { code, md, num, table } from './markdown';

/**
 * `docs/index.md` of a pipeline: what flows from where to where, and how.
 * `columns` is the spec's `outputColumns`, when the caller has it already.
 */
export function renderOverview(
  spec: PipelineSpec,
  d: PipelineDescription,
  columns: string[] | undefined = outputColumns(spec),
): string {
  const p = spec.pipeline;
  const out: string[] = [`# ${d.title}`, ''];
  if (p.description) {
    out.push(md(p.description), '');
  }
  out.push(
    table(
      ['', ''],
      [
        ['Pipeline', code(p.name)],
        ...(p.owner ? [['Owner', code(p.owner)]] : []),
        ...(p.system ? [['System', code(p.system)]] : []),
        ['Source', d.source],
        ['Sink', d.sink],
        ['Checkpoint', d.checkpoint],
        ['Trigger', d.trigger],
      ],
    ),
    '',
    'When something is wrong, the [runbook](runbook.md) says what to do.',
    '',
    '## Data flow',
    '',
    `1. Reads ${d.source}.`,
    ...d.transformations.map(t => `1. ${t}.`),
    `1. Writes to ${d.sink}, keeping its progress in the checkpoint ${d.checkpoint}.`,
    '',
    'Every micro-batch publishes its progress (rows, rates, durations, offsets, watermark)',
    "to the platform's progress topic; the pipeline's **Streaming** tab shows it.",
    '',
    '## Schema',
    '',
    ...renderSchema(spec, columns),
    '## Alert thresholds',
    '',
    table(
      ['alert', 'warning above', 'critical above', 'runbook'],
      [
        ...(d.lagSeconds !== undefined
          ? [
              [
                'consumer lag, seconds',
                num(d.lagSeconds / 2),
                num(d.lagSeconds),
                '[Lag](runbook.md#lag)',
              ],
            ]
          : []),
        [
          'consumer lag, messages',
          num(d.lagMessages / 2),
          num(d.lagMessages),
          '[Lag](runbook.md#lag)',
        ],
        [
          'no micro-batch',
          '',
          "the platform's stale interval",
          '[Stale](runbook.md#stale)',
        ],
        ['application failed', '', 'always', '[Failed](runbook.md#failed)'],
      ],
    ),
    '',
    d.channel
      ? `Alerts go to ${code(
          d.channel,
        )}; the generated \`PrometheusRule\` carries the same thresholds.`
      : 'No alert channel is set; the generated `PrometheusRule` carries the same thresholds.',
    '',
    '## Resources',
    '',
    ...renderResources(spec),
    '',
    '## Job settings',
    '',
    'The job takes its settings from this spec; each can be overridden by an environment',
    `variable of the driver (\`spec.driver.env\` in \`${
      spec.pipeline.environments
        ? 'deploy/<environment>/spark-application.yaml'
        : 'deploy/spark-application.yaml'
    }\`, or the`,
    'shell when it runs locally).',
    '',
    table(
      ['environment variable', 'what it sets'],
      jobSettings(spec).map(s => [code(s.env), md(s.description)]),
    ),
  );
  return `${out.join('\n').trimEnd()}\n`;
}

/** How the records of a registry subject are read (the source names one). */
function registryPayloads(
  source: PipelineSpec['pipeline']['source'],
  declared: string | undefined,
): string {
  if (source.type !== 'kafka' || typeof source.schema !== 'object') {
    return '';
  }
  if (source.format === 'avro') {
    return `The payloads are Avro records in the Confluent wire format, read as ${declared}: each record is decoded with the writer schema its schema id names, fetched from the registry, and resolved to that version by Avro's rules.`;
  }
  if (source.format === 'protobuf') {
    const message = source.schema.message
      ? code(source.schema.message)
      : "the .proto's first";
    return `The payloads are Protobuf messages in the Confluent wire format, read as ${declared}: each record's schema id must name a version of the subject in the registry and its message indexes the pipeline's message (${message}), and the message is decoded with that version's .proto (its descriptor set is built with protoc when the job image is built). Fields added by later compatible versions are skipped; fields a record lacks are null, or their proto3 default.`;
  }
  return `The payloads are JSON records in the Confluent wire format, read as ${declared}: each record's schema id must name a version of the subject in the registry, and its JSON text is parsed with that version's properties.`;
}

function renderSchema(
  spec: PipelineSpec,
  columns: string[] | undefined,
): string[] {
  const source = spec.pipeline.source;
  const out: string[] = [];
  const declared = describeSourceSchema(source);
  if ('schema' in source && typeof source.schema === 'object') {
    out.push(registryPayloads(source, declared), '');
  } else if (declared) {
    out.push(`The payloads follow ${declared} of this repository.`, '');
  }
  if (source.fields) {
    out.push(
      table(
        ['field', 'type', 'nullable', 'description'],
        source.fields.map(f => [
          code(f.name),
          md(
            f.type === 'decimal' && f.precision !== undefined
              ? `decimal(${f.precision}, ${f.scale ?? 0})`
              : f.type,
          ),
          f.nullable === false ? 'no' : 'yes',
          f.description ? md(f.description) : '',
        ]),
      ),
      '',
    );
  }
  if (!out.length) {
    out.push(
      source.type === 'delta'
        ? 'The schema is that of the source table.'
        : 'No schema is declared: the payload is read as it arrives.',
      '',
    );
  }
  out.push(
    columns
      ? `Output columns: ${columns.map(c => code(c)).join(', ')}.`
      : 'The output columns follow from the source schema and the steps above.',
    '',
  );
  return out;
}

function renderResources(spec: PipelineSpec): string[] {
  const { driver, executor } = resolveResources(spec);
  const out = [
    table(
      ['', 'cores', 'memory', 'instances'],
      [
        ['driver', md(driver.cores), md(driver.memory), '1'],
        [
          'executors',
          md(executor.cores),
          md(executor.memory),
          md(executor.instances),
        ],
      ],
    ),
    '',
  ];
  if (executor.max_instances !== undefined) {
    out.push(
      `Dynamic allocation scales the executors between ${md(
        executor.min_instances ?? executor.instances,
      )} and ${md(executor.max_instances)} instances.`,
      '',
    );
  }
  out.push(
    'The pipeline page shows what these resources cost at the rates the platform is configured with.',
  );
  return out;
}
