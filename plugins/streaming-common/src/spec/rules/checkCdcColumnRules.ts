import { CDC_COLUMNS } from '../cdcColumns';
import { PipelineSpec } from '../pipelineSpecSchema';
import { formatPath } from '../SpecError';
import { RuleReport } from './RuleReport';

/**
 * Change events: no select alias or rename may take the name of a column
 * the events carry (the job orders and applies changes by them).
 */
export function checkCdcColumnRules(spec: PipelineSpec, report: RuleReport) {
  const { source, transformations } = spec.pipeline;
  if (source.type !== 'debezium') {
    return;
  }
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
        report.error(
          `pipeline.transformations[${i}].${where}`,
          `"${name}" is a column the change events carry (${CDC_COLUMNS.join(
            ', ',
          )}); the job orders and applies changes by it, so no column may take its name`,
        );
      }
    }
  });
}
