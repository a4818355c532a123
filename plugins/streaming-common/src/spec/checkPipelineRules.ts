import { expressionColumns, parseExpression } from './expression';
import { parseDuration } from './parseDuration';
import {
  PipelineSpec,
  PipelineTransformation,
  storageLocation,
} from './pipelineSpecSchema';
import { SpecError, SpecValidationOptions, formatPath } from './SpecError';
import { suggest } from './suggest';

/**
 * Columns every Debezium source carries next to the row image: the change
 * operation (`c`, `u`, `d`, `r`), the source's commit time (ms) and the
 * Kafka offset of the event (orders the changes of one key). The
 * generated job keeps them through every step and drops them when writing.
 *
 * @public
 */
export const CDC_COLUMNS = [
  '__op',
  '__source_ts_ms',
  '__kafka_offset',
] as const;

/**
 * The output mode the sink writes with: `append`, `complete` or `update`
 * (merge sinks with an aggregate).
 *
 * @public
 */
export function outputMode(
  spec: PipelineSpec,
): 'append' | 'complete' | 'update' {
  const { sink, transformations } = spec.pipeline;
  if (sink.type === 'delta' && sink.mode === 'complete') {
    return 'complete';
  }
  if (
    sink.type === 'delta' &&
    sink.mode === 'merge' &&
    transformations.some(t => t.type === 'aggregate')
  ) {
    return 'update';
  }
  return 'append';
}

/**
 * The columns after the last transformation, when they can be known (inline
 * fields); undefined when the schema lives in a file or a join adds
 * unlisted columns.
 *
 * @public
 */
export function outputColumns(
  spec: PipelineSpec,
  options: SpecValidationOptions = {},
): string[] | undefined {
  return trackColumns(spec, () => {}, options.schemaFields).at(-1);
}

const leaf = (name: string) => name.split('.').pop()!;

/**
 * Columns before each step and after the last one (`length` is steps + 1);
 * `undefined` where unknown. `report` gets each reference to a missing column.
 */
function trackColumns(
  spec: PipelineSpec,
  report: (path: Array<string | number>, name: string, known: string[]) => void,
  schemaFields?: string[],
): Array<string[] | undefined> {
  const { source, transformations } = spec.pipeline;
  let columns: string[] | undefined =
    source.fields?.map(f => f.name) ?? schemaFields;
  if (columns && source.type === 'debezium') {
    columns = [...columns, ...CDC_COLUMNS];
  }
  const states: Array<string[] | undefined> = [];
  const check = (path: Array<string | number>, name: string) => {
    if (columns && !columns.includes(name.split('.')[0])) {
      report(path, name, columns);
    }
  };
  transformations.forEach((step, i) => {
    states.push(columns);
    const at = (...rest: Array<string | number>) => [
      'pipeline',
      'transformations',
      i,
      ...rest,
    ];
    switch (step.type) {
      case 'filter':
        for (const name of expressionColumns(
          parseExpression(step.condition, 'condition'),
        )) {
          check(at('condition'), name);
        }
        break;
      case 'watermark':
        check(at('column'), step.column);
        break;
      case 'aggregate': {
        step.group_by.forEach((c, j) => check(at('group_by', j), c));
        if (step.time_column) {
          check(at('time_column'), step.time_column);
        }
        step.metrics.forEach((m, j) => {
          const [expression] = Object.keys(m);
          for (const name of expressionColumns(
            parseExpression(expression, 'metric'),
          )) {
            check(at('metrics', j), name);
          }
        });
        columns = [
          ...(step.window ? ['window_start', 'window_end'] : []),
          ...step.group_by.map(leaf),
          ...step.metrics.map(m => Object.values(m)[0]),
        ];
        break;
      }
      case 'select':
        step.columns.forEach((c, j) =>
          check(at('columns', j), typeof c === 'string' ? c : c.name),
        );
        if (columns) {
          const keep = columns.filter(c =>
            (CDC_COLUMNS as readonly string[]).includes(c),
          );
          columns = [
            ...step.columns.map(c =>
              typeof c === 'string' ? leaf(c) : c.alias ?? leaf(c.name),
            ),
            ...keep,
          ];
        }
        break;
      case 'rename':
        Object.keys(step.columns).forEach(c => check(at('columns', c), c));
        columns = columns?.map(c =>
          Object.hasOwn(step.columns, c) ? step.columns[c] : c,
        );
        break;
      case 'cast':
        Object.keys(step.columns).forEach(c => check(at('columns', c), c));
        break;
      case 'drop':
        step.columns.forEach((c, j) => check(at('columns', j), c));
        columns = columns?.filter(c => !step.columns.includes(c));
        break;
      case 'deduplicate':
        step.columns.forEach((c, j) => check(at('columns', j), c));
        break;
      case 'join':
        step.on.forEach((c, j) => check(at('on', j), c));
        columns =
          columns && step.columns
            ? [...new Set([...columns, ...step.columns])]
            : undefined;
        break;
      default:
        break;
    }
  });
  states.push(columns);
  return states;
}

/**
 * The rules that span fields: event time and watermarks, output modes,
 * checkpoints, topics, columns and resources.
 */
export function checkPipelineRules(
  spec: PipelineSpec,
  options: SpecValidationOptions = {},
): {
  errors: SpecError[];
  warnings: SpecError[];
} {
  const errors: SpecError[] = [];
  const warnings: SpecError[] = [];
  const err = (path: string, message: string, suggestion?: string) =>
    errors.push({ path, message, suggestion });
  const warn = (path: string, message: string) =>
    warnings.push({ path, message });
  const { pipeline } = spec;
  const { source, sink, transformations } = pipeline;
  const steps = (type: PipelineTransformation['type']) =>
    transformations
      .map((t, i) => ({ t, i }))
      .filter(({ t }) => t.type === type);

  const watermarks = steps('watermark');
  const aggregates = steps('aggregate');
  watermarks
    .slice(1)
    .forEach(({ i }) =>
      err(
        `pipeline.transformations[${i}]`,
        'only one watermark step is allowed',
      ),
    );
  aggregates
    .slice(1)
    .forEach(({ i }) =>
      err(
        `pipeline.transformations[${i}]`,
        'only one aggregate step is allowed in a streaming query',
      ),
    );
  const watermark = watermarks[0];
  const mode = outputMode(spec);

  for (const { t, i } of aggregates.slice(0, 1)) {
    if (t.type !== 'aggregate') {
      continue;
    }
    const path = `pipeline.transformations[${i}]`;
    const wm =
      watermark && watermark.i < i && watermark.t.type === 'watermark'
        ? watermark.t
        : undefined;
    const timeColumn = t.time_column ?? wm?.column;
    if (t.slide && !t.window) {
      err(`${path}.slide`, 'a slide needs a window');
    }
    if (t.window && t.slide) {
      const w = parseDuration(t.window)!.ms;
      const s = parseDuration(t.slide)!.ms;
      if (s > w) {
        err(
          `${path}.slide`,
          `the slide (${t.slide}) must not exceed the window (${t.window})`,
        );
      }
    }
    if (t.window && !timeColumn) {
      err(
        `${path}.window`,
        'a window needs an event-time column: add a watermark step before the aggregate or set time_column',
      );
    }
    if (mode === 'append') {
      if (!wm) {
        err(
          path,
          `an aggregate in append mode needs a watermark on its event-time column: add a "watermark" step before it${
            watermark ? ' (the watermark step comes after the aggregate)' : ''
          }`,
        );
      } else if (!t.window) {
        err(
          `${path}.window`,
          `an aggregate in append mode must group by event time: set a window over "${wm.column}"`,
        );
      } else if (timeColumn !== wm.column) {
        err(
          `${path}.time_column`,
          `the window is over "${timeColumn}" but the watermark is on "${wm.column}"; in append mode they must be the same column`,
        );
      }
    } else if (!wm) {
      warn(
        path,
        `without a watermark the aggregate keeps state for every group forever (${mode} mode); add a watermark step`,
      );
    }
    transformations.slice(i + 1).forEach((later, j) => {
      if (['deduplicate', 'join', 'watermark'].includes(later.type)) {
        err(
          `pipeline.transformations[${i + 1 + j}]`,
          `a ${later.type} step must come before the aggregate`,
        );
      }
    });
  }

  for (const { t, i } of steps('deduplicate')) {
    if (
      t.type === 'deduplicate' &&
      t.within_watermark &&
      !(watermark && watermark.i < i)
    ) {
      err(
        `pipeline.transformations[${i}].within_watermark`,
        'deduplicating within the watermark needs a watermark step before it',
      );
    } else if (t.type === 'deduplicate' && !(watermark && watermark.i < i)) {
      warn(
        `pipeline.transformations[${i}]`,
        'without a watermark, deduplication keeps every key in state forever',
      );
    }
  }

  if (
    sink.type === 'delta' &&
    sink.mode === 'complete' &&
    aggregates.length === 0
  ) {
    err(
      'pipeline.sink.mode',
      'complete mode needs an aggregate step: it rewrites the whole result table each batch',
    );
  }
  if (
    sink.type === 'delta' &&
    sink.mode === 'merge' &&
    !sink.merge_keys &&
    source.type !== 'debezium'
  ) {
    err(
      'pipeline.sink.merge_keys',
      'required: merge mode needs the key columns to match rows on',
    );
  }
  if (sink.type === 'delta' && sink.mode !== 'merge' && sink.merge_keys) {
    warn('pipeline.sink.merge_keys', 'merge_keys are used only in merge mode');
  }
  if (
    source.type === 'debezium' &&
    !(sink.type === 'delta' && sink.mode === 'merge')
  ) {
    warn(
      'pipeline.sink',
      'change events are written as rows; use a Delta sink in merge mode to apply them (updates and deletes)',
    );
  }
  if (
    !source.fields &&
    !('schema' in source && source.schema) &&
    source.type !== 'delta'
  ) {
    err(
      'pipeline.source',
      'required: a schema file (schema: schemas/x.avsc) or inline fields, to decode the messages',
    );
  }
  if (
    source.type === 'kafka' &&
    source.format === 'avro' &&
    source.schema?.endsWith('.json')
  ) {
    err(
      'pipeline.source.schema',
      'Avro payloads need an Avro schema (.avsc) or inline fields, not a JSON Schema',
    );
  }
  if (source.type === 'kafka' && source.format === 'avro') {
    source.fields?.forEach((f, i) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name)) {
        err(
          `pipeline.source.fields[${i}].name`,
          'Avro field names are letters, digits and "_", not starting with a digit',
        );
      }
    });
  }
  if ('schema' in source && source.schema && source.fields) {
    err(
      'pipeline.source.fields',
      'give either a schema file or inline fields, not both',
    );
  }

  // Checkpoints and locations.
  const within = (inner: string, outer: string) => {
    const a = storageLocation(inner);
    const b = storageLocation(outer);
    return (
      a.root === b.root &&
      b.folders.every((folder, i) => a.folders[i] === folder)
    );
  };
  if (sink.type === 'delta') {
    if (within(sink.checkpoint, sink.path)) {
      err(
        'pipeline.sink.checkpoint',
        'the checkpoint must not be inside the Delta table location',
      );
    }
    if (source.type === 'delta' && within(sink.path, source.path)) {
      err(
        'pipeline.sink.path',
        'the sink must not write into the source table',
      );
    }
  }
  if (source.type === 'delta' && within(sink.checkpoint, source.path)) {
    err(
      'pipeline.sink.checkpoint',
      'the checkpoint must not be inside the source table',
    );
  }

  // Topics.
  if (
    sink.type === 'kafka' &&
    source.type !== 'delta' &&
    sink.topic === source.topic &&
    (sink.cluster ?? source.cluster) === source.cluster
  ) {
    err(
      'pipeline.sink.topic',
      'the sink topic is the source topic: the pipeline would read its own output',
    );
  }
  for (const [path, name] of [
    [
      'pipeline.source.topic',
      source.type !== 'delta' ? source.topic : undefined,
    ],
    ['pipeline.sink.topic', sink.type === 'kafka' ? sink.topic : undefined],
  ] as const) {
    if (name && name.includes('.') && name.includes('_')) {
      warn(
        path,
        'topic names with both "." and "_" can collide in metric names; prefer one of them',
      );
    }
  }

  // Resources.
  const executor = pipeline.resources?.executor;
  if (executor) {
    if (
      executor.max_instances !== undefined &&
      executor.max_instances < executor.instances
    ) {
      err(
        'pipeline.resources.executor.max_instances',
        `must be at least instances (${executor.instances})`,
      );
    }
    if (
      executor.min_instances !== undefined &&
      executor.min_instances > executor.instances
    ) {
      err(
        'pipeline.resources.executor.min_instances',
        `must be at most instances (${executor.instances})`,
      );
    }
  }

  if (source.type === 'debezium') {
    const cdc: readonly string[] = CDC_COLUMNS;
    transformations.forEach((t, i) => {
      const written: Array<[string, string]> = [];
      if (t.type === 'select') {
        t.columns.forEach((c, j) => {
          if (typeof c !== 'string' && c.alias) {
            written.push([`columns[${j}].alias`, c.alias]);
          }
        });
      } else if (t.type === 'rename') {
        for (const c of Object.keys(t.columns)) {
          written.push([formatPath(['columns', c]), t.columns[c]]);
        }
      }
      for (const [where, name] of written) {
        if (cdc.includes(name)) {
          err(
            `pipeline.transformations[${i}].${where}`,
            `"${name}" is a column the change events carry (${CDC_COLUMNS.join(
              ', ',
            )}); the job orders and applies changes by it, so no column may take its name`,
          );
        }
      }
    });
  }

  if (!pipeline.owner) {
    warn(
      'pipeline.owner',
      'no owner: the catalog entity will be owned by "unknown"',
    );
  }

  // Columns, when the schema is inline.
  const states = trackColumns(
    spec,
    (path, name, known) => {
      err(
        formatPath(path),
        `unknown column "${name}"`,
        suggest(name.split('.')[0], known),
      );
    },
    options.schemaFields,
  );
  const final = states.at(-1);
  const sinkColumns: Array<[string, string | undefined]> = [];
  if (sink.type === 'delta') {
    sink.merge_keys?.forEach((c, j) =>
      sinkColumns.push([`pipeline.sink.merge_keys[${j}]`, c]),
    );
    sink.partition_by?.forEach((c, j) =>
      sinkColumns.push([`pipeline.sink.partition_by[${j}]`, c]),
    );
    sink.zorder_by?.forEach((c, j) =>
      sinkColumns.push([`pipeline.sink.zorder_by[${j}]`, c]),
    );
  } else if (sink.type === 'elasticsearch') {
    sinkColumns.push(['pipeline.sink.id_column', sink.id_column]);
  } else {
    sinkColumns.push(['pipeline.sink.key_column', sink.key_column]);
  }
  if (final) {
    for (const [path, name] of sinkColumns) {
      if (name && !final.includes(name)) {
        err(
          path,
          `unknown column "${name}" in the pipeline's output`,
          suggest(name, final),
        );
      }
    }
  }
  if (sink.type === 'delta' && sink.zorder_by && sink.partition_by) {
    for (const [j, c] of sink.zorder_by.entries()) {
      if (sink.partition_by.includes(c)) {
        err(
          `pipeline.sink.zorder_by[${j}]`,
          `"${c}" is a partition column; Z-order by other columns`,
        );
      }
    }
  }
  return { errors, warnings };
}
