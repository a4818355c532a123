import { PipelineSpec } from '../pipelineSpecSchema';
import { SpecValidationOptions, formatPath } from '../SpecError';
import { suggest } from '../suggest';
import { trackColumns } from '../trackColumns';
import { RuleReport } from './RuleReport';

/**
 * Columns, when the schema is known (inline fields or the schema file's
 * fields): every column a step or the sink names exists where it is used;
 * Z-order columns are not partition columns.
 */
export function checkColumnRules(
  spec: PipelineSpec,
  report: RuleReport,
  options: SpecValidationOptions = {},
) {
  const { sink } = spec.pipeline;
  const states = trackColumns(
    spec,
    (path, name, known) => {
      report.error(
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
        report.error(
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
        report.error(
          `pipeline.sink.zorder_by[${j}]`,
          `"${c}" is a partition column; Z-order by other columns`,
        );
      }
    }
  }
}
