import { PipelineSpec } from './pipelineSpecSchema';
import { SpecValidationOptions } from './SpecError';
import { trackColumns } from './trackColumns';

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
