import {
  DEFAULT_ALERT_ON_LAG_MESSAGES,
  type PipelineSink,
  type PipelineSource,
  type PipelineSpec,
  type PipelineTransformation,
} from '@internal/plugin-streaming-common';
import { code, md } from './markdown';

type Pipeline = PipelineSpec['pipeline'];

const list = (items: string[]) => items.map(item => code(item)).join(', ');

/** What {@link describePipeline} works out about a pipeline. */
export type PipelineDescription = ReturnType<typeof describePipeline>;

/**
 * Facts about a pipeline, as Markdown, shared by its overview and runbook:
 * worked out once per render ({@link renderDocs}).
 */
export function describePipeline(spec: PipelineSpec) {
  const p: Pipeline = spec.pipeline;
  const stateful = p.transformations.filter(
    t => t.type === 'aggregate' || t.type === 'deduplicate',
  );
  const lagMessages =
    p.monitoring?.alert_on_lag_messages ?? DEFAULT_ALERT_ON_LAG_MESSAGES;
  return {
    name: p.name,
    title: md(p.title ?? p.name),
    source: describeSource(p.source),
    sink: describeSink(p.sink),
    checkpoint: code(p.sink.checkpoint),
    trigger: describeTrigger(p.trigger),
    stateful,
    transformations: p.transformations.map(describeTransformation),
    lagSeconds: p.monitoring?.alert_on_lag,
    lagMessages,
    channel: p.monitoring?.alert_channel,
  };
}

function describeTrigger(trigger: Pipeline['trigger']): string {
  if (!trigger) {
    return 'back to back (no trigger interval: a batch starts when the previous one ends)';
  }
  if (trigger === 'available_now') {
    return 'available now (processes what is there, then stops)';
  }
  return `every ${md(trigger)}`;
}

/** The source of a pipeline, as a Markdown phrase. */
export function describeSource(source: PipelineSource): string {
  switch (source.type) {
    case 'kafka':
      return `Kafka topic ${code(source.topic)}${onCluster(
        source.cluster,
      )} (${md(source.format)} payloads, starting at the ${md(
        source.starting_offsets,
      )} offsets)`;
    case 'debezium':
      return `Debezium change events of ${
        source.table ? `table ${code(source.table)}` : 'a table'
      }${
        source.database ? ` in database ${code(source.database)}` : ''
      }, from Kafka topic ${code(source.topic)}${onCluster(
        source.cluster,
      )} (key ${list(source.key)})`;
    case 'delta':
      return `Delta table ${code(
        source.path,
      )} (read as a stream of its new versions)`;
    default:
      return unreachable(source);
  }
}

/** The sink of a pipeline, as a Markdown phrase. */
export function describeSink(sink: PipelineSink): string {
  switch (sink.type) {
    case 'delta':
      return `Delta table ${code(sink.path)} (${md(sink.mode)}${
        sink.merge_keys ? ` on ${list(sink.merge_keys)}` : ''
      })`;
    case 'elasticsearch':
      return `Elasticsearch index ${code(sink.index)} on ${
        sink.cluster
          ? `search cluster ${code(sink.cluster)}`
          : code(sink.nodes!)
      }${sink.id_column ? ` (document id ${code(sink.id_column)})` : ''}`;
    case 'kafka':
      return `Kafka topic ${code(sink.topic)}${onCluster(sink.cluster)}${
        sink.key_column ? ` (key ${code(sink.key_column)})` : ''
      }`;
    default:
      return unreachable(sink);
  }
}

/** One transformation step, as a Markdown phrase. */
export function describeTransformation(t: PipelineTransformation): string {
  switch (t.type) {
    case 'filter':
      return `**filter**: keeps rows where ${code(t.condition)}`;
    case 'watermark':
      return `**watermark** on ${code(t.column)}: events up to ${md(
        t.delay,
      )} late are still counted, older state is dropped`;
    case 'aggregate': {
      const window = t.window
        ? `in windows of ${md(t.window)}${
            t.slide ? ` sliding every ${md(t.slide)}` : ''
          }${t.time_column ? ` of ${code(t.time_column)}` : ''}`
        : 'over the whole stream';
      const groups = t.group_by.length
        ? `, grouped by ${list(t.group_by)}`
        : '';
      const metrics = t.metrics
        .flatMap(m => Object.entries(m))
        .map(([expr, alias]) => `${code(alias)} = ${code(expr)}`)
        .join(', ');
      return `**aggregate** ${window}${groups}: ${metrics}`;
    }
    case 'select':
      return `**select** ${t.columns
        .map(c =>
          typeof c === 'string'
            ? code(c)
            : `${code(c.name)}${c.cast ? ` as ${md(c.cast)}` : ''}${
                c.alias ? ` named ${code(c.alias)}` : ''
              }`,
        )
        .join(', ')}`;
    case 'rename':
      return `**rename** ${Object.entries(t.columns)
        .map(([from, to]) => `${code(from)} to ${code(to)}`)
        .join(', ')}`;
    case 'cast':
      return `**cast** ${Object.entries(t.columns)
        .map(([column, type]) => `${code(column)} to ${md(type)}`)
        .join(', ')}`;
    case 'drop':
      return `**drop** ${list(t.columns)}`;
    case 'deduplicate':
      return `**deduplicate** on ${list(t.columns)}${
        t.within_watermark ? ' within the watermark' : ''
      }`;
    case 'join':
      return `**join** (${md(t.how)}) with the ${md(
        t.table.format,
      )} table ${code(t.table.path)} on ${list(t.on)}${
        t.broadcast ? ', broadcast' : ''
      }`;
    default:
      return unreachable(t);
  }
}

function onCluster(cluster: string | undefined): string {
  return cluster ? ` on cluster ${code(cluster)}` : '';
}

function unreachable(value: never): never {
  throw new Error(`unexpected spec element ${JSON.stringify(value)}`);
}
