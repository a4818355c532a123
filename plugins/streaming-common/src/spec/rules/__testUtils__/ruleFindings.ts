import { readFileSync } from 'fs';
import { join } from 'path';
import { parsePipelineSpec } from '../../parsePipelineSpec';
import { PipelineSpec, pipelineSpecSchema } from '../../pipelineSpecSchema';
import { SpecValidationOptions, formatSpecError } from '../../SpecError';
import { RuleReport } from '../RuleReport';

const reference = readFileSync(
  join(__dirname, '../../__fixtures__/reference.yaml'),
  'utf8',
);

/**
 * What one rule group finds in the reference spec with one edit applied to
 * its object form: errors and warnings as `path: message` lines.
 */
export function ruleFindings(
  rule: (
    spec: PipelineSpec,
    report: RuleReport,
    options: SpecValidationOptions,
  ) => void,
  edit: (pipeline: any) => void,
  options: SpecValidationOptions = {},
): { errors: string[]; warnings: string[] } {
  const copy = JSON.parse(JSON.stringify(parsePipelineSpec(reference).spec));
  edit(copy.pipeline);
  const errors: string[] = [];
  const warnings: string[] = [];
  rule(
    pipelineSpecSchema.parse(copy),
    {
      error: (path, message, suggestion) =>
        errors.push(formatSpecError({ path, message, suggestion })),
      warning: (path, message) =>
        warnings.push(formatSpecError({ path, message })),
    },
    options,
  );
  return { errors, warnings };
}
