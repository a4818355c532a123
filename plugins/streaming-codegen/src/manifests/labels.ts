import { KUBERNETES_ANNOTATION } from '@backstage/plugin-kubernetes-common';
import { PipelineSpec } from '@internal/plugin-streaming-common';

/** The label naming the environment an object of a pipeline belongs to. */
export const ENVIRONMENT_LABEL = 'streaming-platform.dev/environment';

/** The label value of an owner reference: `group:default/team-a` -> `team-a`. */
function ownerLabel(owner: string | undefined): string {
  return (owner ?? 'unknown').split(/[:/]/).pop()!.slice(0, 63);
}

/**
 * Labels on every Kubernetes object and pod of a pipeline: they name it,
 * link it to its catalog entity and let cost be attributed (owner, system);
 * with an environment, they name it too.
 */
export function pipelineLabels(
  spec: PipelineSpec,
  component = 'streaming-job',
  environment?: string,
): Record<string, string> {
  const { pipeline } = spec;
  return {
    'app.kubernetes.io/name': pipeline.name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': pipeline.system ?? 'streaming-pipelines',
    'app.kubernetes.io/managed-by': 'streaming-platform',
    // The Kubernetes plugin finds an entity's objects by this label: the
    // key of its annotation, the value the annotation's (renderCatalogInfo).
    [KUBERNETES_ANNOTATION]: pipeline.name,
    'streaming-platform.dev/pipeline': pipeline.name,
    'streaming-platform.dev/owner': ownerLabel(pipeline.owner),
    ...(environment ? { [ENVIRONMENT_LABEL]: environment } : {}),
  };
}
