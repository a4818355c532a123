import { PipelineSpec } from '../pipelineSpecSchema';
import { RuleReport } from './RuleReport';

type Resources = NonNullable<PipelineSpec['pipeline']['resources']>;

/**
 * Executor bounds: min_instances ≤ instances ≤ max_instances, for the
 * pipeline's resources and each environment's.
 */
export function checkResourceRules(spec: PipelineSpec, report: RuleReport) {
  checkExecutorBounds(
    spec.pipeline.resources,
    'pipeline.resources.executor',
    report,
  );
  spec.pipeline.environments?.forEach((env, index) =>
    checkExecutorBounds(
      env.resources,
      `pipeline.environments[${index}].resources.executor`,
      report,
    ),
  );
}

function checkExecutorBounds(
  resources: Resources | undefined,
  path: string,
  report: RuleReport,
) {
  const executor = resources?.executor;
  if (!executor) {
    return;
  }
  if (
    executor.max_instances !== undefined &&
    executor.max_instances < executor.instances
  ) {
    report.error(
      `${path}.max_instances`,
      `must be at least instances (${executor.instances})`,
    );
  }
  if (
    executor.min_instances !== undefined &&
    executor.min_instances > executor.instances
  ) {
    report.error(
      `${path}.min_instances`,
      `must be at most instances (${executor.instances})`,
    );
  }
}
