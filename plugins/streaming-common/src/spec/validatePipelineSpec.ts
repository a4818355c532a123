import { checkPipelineRules } from './checkPipelineRules';
import { PipelineSpec, pipelineSpecSchema } from './pipelineSpecSchema';
import {
  SpecError,
  SpecValidationOptions,
  SpecValidationResult,
} from './SpecError';
import { issuesToSpecErrors } from './zodIssues';

/**
 * Specs this function returned as valid, with what they were checked
 * against (their JSON and the options) and the warnings found. A spec passed
 * in again unchanged, as the code generator does with the spec its caller
 * has just validated, is not checked twice; any change to it is.
 */
const validated = new WeakMap<
  object,
  { json: string; options: string; warnings: SpecError[] }
>();

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
  const optionsKey = JSON.stringify(options.schemaFields ?? null);
  const known =
    typeof value === 'object' && value !== null
      ? validated.get(value)
      : undefined;
  if (
    known &&
    known.options === optionsKey &&
    known.json === JSON.stringify(value)
  ) {
    return {
      spec: value as PipelineSpec,
      errors: [],
      warnings: [...known.warnings],
    };
  }
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
  if (errors.length > 0) {
    return { errors, warnings };
  }
  validated.set(parsed.data, {
    json: JSON.stringify(parsed.data),
    options: optionsKey,
    warnings: [...warnings],
  });
  return { spec: parsed.data, errors, warnings };
}
