import { resolveEnvironment } from '../environments';
import { PipelineSpec } from '../pipelineSpecSchema';
import { RuleReport } from './RuleReport';

/**
 * Environments never share what one job owns: each runs its own
 * SparkApplication (Kubernetes cluster and namespace) and keeps its own
 * checkpoint, so that promoting to one never touches another.
 */
export function checkEnvironmentRules(spec: PipelineSpec, report: RuleReport) {
  const environments = spec.pipeline.environments ?? [];
  const places = new Map<string, string>();
  const checkpoints = new Map<string, string>();
  environments.forEach((env, index) => {
    const place = `${env.kubernetes_cluster ?? ''}/${env.namespace}`;
    const samePlace = places.get(place);
    if (samePlace !== undefined) {
      report.error(
        `pipeline.environments[${index}].namespace`,
        `environments ${samePlace} and ${env.name} would run the same SparkApplication (same Kubernetes cluster and namespace)`,
        'give each environment its own namespace or kubernetes_cluster',
      );
    } else {
      places.set(place, env.name);
    }
    const checkpoint = resolveEnvironment(spec, env.name).pipeline.sink
      .checkpoint;
    const sameCheckpoint = checkpoints.get(checkpoint);
    if (sameCheckpoint !== undefined) {
      report.error(
        `pipeline.environments[${index}].table_prefix`,
        `environments ${sameCheckpoint} and ${env.name} would share the checkpoint ${checkpoint} and the tables`,
        'give each environment its own table_prefix (one of them may have none)',
      );
    } else {
      checkpoints.set(checkpoint, env.name);
    }
  });
}
