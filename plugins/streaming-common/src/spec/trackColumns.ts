import { CDC_COLUMNS } from './cdcColumns';
import { expressionColumns, parseExpression } from './expression';
import { PipelineSpec } from './pipelineSpecSchema';

const leaf = (name: string) => name.split('.').pop()!;

/**
 * Columns before each step and after the last one (`length` is steps + 1);
 * `undefined` where unknown. `report` gets each reference to a missing column.
 */
export function trackColumns(
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
