import { PipelineSpec } from './pipelineSpecSchema';
import { checkCdcColumnRules } from './rules/checkCdcColumnRules';
import { checkColumnRules } from './rules/checkColumnRules';
import { checkDeadLetterRules } from './rules/checkDeadLetterRules';
import { checkEnvironmentRules } from './rules/checkEnvironmentRules';
import { checkEventTimeRules } from './rules/checkEventTimeRules';
import { checkLocationRules } from './rules/checkLocationRules';
import { checkOwnerRule } from './rules/checkOwnerRule';
import { checkResourceRules } from './rules/checkResourceRules';
import { checkSinkModeRules } from './rules/checkSinkModeRules';
import { checkSourceSchemaRules } from './rules/checkSourceSchemaRules';
import { checkTopicRules } from './rules/checkTopicRules';
import { RuleReport } from './rules/RuleReport';
import { SpecError, SpecValidationOptions } from './SpecError';

/** The rule groups, in the order their findings are reported. */
const RULES: Array<
  (
    spec: PipelineSpec,
    report: RuleReport,
    options: SpecValidationOptions,
  ) => void
> = [
  checkEventTimeRules,
  checkSinkModeRules,
  checkSourceSchemaRules,
  checkLocationRules,
  checkTopicRules,
  checkDeadLetterRules,
  checkResourceRules,
  checkCdcColumnRules,
  checkOwnerRule,
  checkColumnRules,
  checkEnvironmentRules,
];

/**
 * The rules that span fields (one unit per group in `rules/`): event time
 * and watermarks, output modes, schemas, checkpoints, topics, the dead-letter
 * target, resources, columns and environments.
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
  const report: RuleReport = {
    error: (path, message, suggestion) =>
      errors.push({ path, message, suggestion }),
    warning: (path, message) => warnings.push({ path, message }),
  };
  for (const rule of RULES) {
    rule(spec, report, options);
  }
  return { errors, warnings };
}
