import { PipelineSpec } from '../pipelineSpecSchema';
import { RuleReport } from './RuleReport';

/** A pipeline without an owner is warned about (its entity's owner is "unknown"). */
export function checkOwnerRule(spec: PipelineSpec, report: RuleReport) {
  if (!spec.pipeline.owner) {
    report.warning(
      'pipeline.owner',
      'no owner: the catalog entity will be owned by "unknown"',
    );
  }
}
