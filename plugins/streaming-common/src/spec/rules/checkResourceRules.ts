import { PipelineSpec } from '../pipelineSpecSchema';
import { RuleReport } from './RuleReport';

/** Executor bounds: min_instances ≤ instances ≤ max_instances. */
export function checkResourceRules(spec: PipelineSpec, report: RuleReport) {
  const executor = spec.pipeline.resources?.executor;
  if (!executor) {
    return;
  }
  if (
    executor.max_instances !== undefined &&
    executor.max_instances < executor.instances
  ) {
    report.error(
      'pipeline.resources.executor.max_instances',
      `must be at least instances (${executor.instances})`,
    );
  }
  if (
    executor.min_instances !== undefined &&
    executor.min_instances > executor.instances
  ) {
    report.error(
      'pipeline.resources.executor.min_instances',
      `must be at most instances (${executor.instances})`,
    );
  }
}
