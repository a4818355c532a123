import { checkPipelineRules } from './checkPipelineRules';
import { PipelineSpec, pipelineSpecSchema } from './pipelineSpecSchema';
import { SpecValidationOptions, SpecValidationResult } from './SpecError';
import { issuesToSpecErrors } from './zodIssues';

/**
 * Validates a pipeline spec given as an object (parsed YAML or JSON):
 * the schema first, reporting every error at once, then the rules that
 * span fields. `spec` is set only when there is no error.
 *
 * @public
 */
export function validatePipelineSpec(
  value: unknown,
  options: SpecValidationOptions = {},
): SpecValidationResult<PipelineSpec> {
  const parsed = pipelineSpecSchema.safeParse(value);
  if (!parsed.success) {
    return {
      errors: issuesToSpecErrors(
        parsed.error.issues,
        pipelineSpecSchema,
        value,
      ),
      warnings: [],
    };
  }
  const { errors, warnings } = checkPipelineRules(parsed.data, options);
  return errors.length > 0
    ? { errors, warnings }
    : { spec: parsed.data, errors, warnings };
}
