import {
  CDC_COLUMNS,
  PipelineSpec,
  PipelineTransformation,
  parseDuration,
  parseExpression,
} from '@internal/plugin-streaming-common';
import { emitExpression } from '../python/emitExpression';
import { pyStr, pyValue } from '../python/pyLiteral';
import { sparkType } from './sparkTypes';

const col = (name: string) => `F.col(${pyStr(name)})`;
const leaf = (name: string) => name.split('.').pop()!;
const strList = (names: readonly string[]) => names.map(pyStr).join(', ');

function renderStep(
  step: PipelineTransformation,
  index: number,
  spec: PipelineSpec,
  timeColumn: string | undefined,
): string[] {
  const cdc = spec.pipeline.source.type === 'debezium';
  switch (step.type) {
    case 'filter':
      return [
        `    df = df.where(${emitExpression(
          parseExpression(step.condition, 'condition'),
        )})`,
      ];
    case 'watermark':
      return [
        `    df = df.withWatermark(${pyStr(step.column)}, ${pyStr(
          parseDuration(step.delay)!.text,
        )})`,
      ];
    case 'aggregate': {
      const keys: string[] = [];
      if (step.window) {
        const args = [
          col(step.time_column ?? timeColumn!),
          pyStr(parseDuration(step.window)!.text),
          ...(step.slide ? [pyStr(parseDuration(step.slide)!.text)] : []),
        ];
        keys.push(`F.window(${args.join(', ')}).alias("window")`);
      }
      keys.push(
        ...step.group_by.map(c =>
          c.includes('.') ? `${col(c)}.alias(${pyStr(leaf(c))})` : col(c),
        ),
      );
      const metrics = step.metrics.map(m => {
        const [[expression, alias]] = Object.entries(m);
        return `${emitExpression(
          parseExpression(expression, 'metric'),
        )}.alias(${pyStr(alias)})`;
      });
      const out = [
        '    df = df.groupBy(',
        ...keys.map(k => `        ${k},`),
        '    ).agg(',
        ...metrics.map(m => `        ${m},`),
        '    )',
      ];
      if (step.window) {
        out.push(
          '    df = df.select(',
          '        F.col("window.start").alias("window_start"),',
          '        F.col("window.end").alias("window_end"),',
          `        *[F.col(c) for c in df.columns if c != "window"],`,
          '    )',
        );
      }
      return out;
    }
    case 'select': {
      const columns = step.columns.map(c => {
        if (typeof c === 'string') {
          return c.includes('.')
            ? `${col(c)}.alias(${pyStr(leaf(c))})`
            : col(c);
        }
        const cast = c.cast ? `.cast(${sparkType(c.cast)})` : '';
        const alias = c.alias ?? leaf(c.name);
        return `${col(c.name)}${cast}.alias(${pyStr(alias)})`;
      });
      if (cdc) {
        const selected = step.columns.map(c =>
          typeof c === 'string' ? c : c.alias ?? c.name,
        );
        columns.push(
          ...CDC_COLUMNS.filter(c => !selected.includes(c)).map(col),
        );
      }
      return [
        '    df = df.select(',
        ...columns.map(c => `        ${c},`),
        '    )',
      ];
    }
    case 'rename':
      return [`    df = df.withColumnsRenamed(${pyValue(step.columns)})`];
    case 'cast':
      return [
        '    df = df.withColumns(',
        '        {',
        ...Object.entries(step.columns).map(
          ([name, type]) =>
            `            ${pyStr(name)}: ${col(name)}.cast(${sparkType(
              type,
            )}),`,
        ),
        '        }',
        '    )',
      ];
    case 'drop':
      return [`    df = df.drop(${strList(step.columns)})`];
    case 'deduplicate':
      return [
        `    df = df.${
          step.within_watermark
            ? 'dropDuplicatesWithinWatermark'
            : 'dropDuplicates'
        }([${strList(step.columns)}])`,
      ];
    case 'join': {
      const reader =
        step.table.format === 'csv'
          ? 'spark.read.format("csv").option("header", "true").option("inferSchema", "true")'
          : `spark.read.format(${pyStr(step.table.format)})`;
      const out = [
        `    table = ${reader}.load(SETTINGS[${pyStr(`join_${index}_path`)}])`,
      ];
      if (step.columns) {
        const keep = [...new Set([...step.on, ...step.columns])];
        out.push(`    table = table.select(${keep.map(col).join(', ')})`);
      }
      out.push(
        `    df = df.join(${
          step.broadcast ? 'F.broadcast(table)' : 'table'
        }, on=[${strList(step.on)}], how=${pyStr(step.how)})`,
      );
      return out;
    }
    default:
      throw new Error('unknown transformation');
  }
}

/** The name of step `index` in the generated job: `step_<index>_<type>`. */
export const stepFunction = (index: number, step: PipelineTransformation) =>
  `step_${index}_${step.type}`;

/**
 * The transformations of the generated job: one function per step of the
 * spec (`step_<i>_<type>(spark, df)`, which a pipeline's tests call one at a
 * time) and `transform(spark, df)` applying them in order. Column API calls
 * with every value a Python literal.
 */
export function renderTransform(spec: PipelineSpec): string[] {
  const { transformations } = spec.pipeline;
  const lines: string[] = [];
  let timeColumn: string | undefined;
  transformations.forEach((step, i) => {
    if (step.type === 'watermark') {
      timeColumn = step.column;
    }
    lines.push(
      `def ${stepFunction(i, step)}(spark, df):`,
      `    """Step ${i} of the spec: ${step.type}."""`,
      ...renderStep(step, i, spec, timeColumn),
      '    return df',
      '',
      '',
    );
  });
  lines.push(
    '# The steps of the spec, in order.',
    `STEPS = [${transformations
      .map((step, i) => stepFunction(i, step))
      .join(', ')}]`,
    '',
    '',
    'def transform(spark, df):',
    '    """The transformations of the spec, in order."""',
    '    for step in STEPS:',
    '        df = step(spark, df)',
    '    return df',
  );
  return lines;
}
