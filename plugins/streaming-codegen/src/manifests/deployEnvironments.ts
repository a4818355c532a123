import {
  PipelineSpec,
  environmentQueryName,
  pipelineEnvironments,
  resolveEnvironment,
} from '@internal/plugin-streaming-common';
import { jobSettings } from '../job/jobSettings';
import { ResolvedRenderOptions } from '../RenderOptions';
import { podEnvironment } from './renderSparkApplication';

/** An environment variable of a pod. */
export type EnvVar = {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
};

/** The variable that tells the generated job which environment it runs in. */
export const ENVIRONMENT_VARIABLE = 'PIPELINE_ENVIRONMENT';

/**
 * One environment a pipeline is deployed to: the spec as it runs there, the
 * render options with its namespace and cluster, and what its manifests add
 * to the pipeline's.
 */
export interface DeployEnvironment {
  name: string;
  /** The spec with the environment's overrides applied (`resolveEnvironment`). */
  spec: PipelineSpec;
  /** The options with the environment's namespace and Kubernetes cluster. */
  options: ResolvedRenderOptions;
  /** The key of its progress events, `<pipeline>@<environment>`. */
  queryName: string;
  /** Whether the spec names its Kubernetes cluster (not the options). */
  kubernetesClusterOfItsOwn: boolean;
  /**
   * Variables of the job's pods: PIPELINE_ENVIRONMENT, then every setting
   * whose value there differs from the job's default.
   */
  env: EnvVar[];
}

/**
 * The variables that set what differs in an environment: its name, then,
 * in the order of the job's `SETTINGS`, each setting whose value in the
 * environment's spec is not the default the job was rendered with.
 * Variables the pod environment already sets (from the environment's
 * ConfigMaps: bootstrap servers, search nodes) are left to it.
 */
export function environmentVariables(
  base: PipelineSpec,
  environment: { name: string; spec: PipelineSpec },
  options: ResolvedRenderOptions,
  setElsewhere: ReadonlySet<string>,
): EnvVar[] {
  const defaults = new Map(
    jobSettings(base, options).map(s => [s.key, s.value]),
  );
  const env: EnvVar[] = [
    { name: ENVIRONMENT_VARIABLE, value: environment.name },
  ];
  for (const setting of jobSettings(environment.spec, options)) {
    if (
      setElsewhere.has(setting.env) ||
      !defaults.has(setting.key) ||
      defaults.get(setting.key) === setting.value
    ) {
      continue;
    }
    if (setting.value === null) {
      // An empty variable leaves the job at its default: never what an
      // environment that changed a setting means.
      throw new Error(
        `environment ${environment.name} unsets ${setting.env}, which the job cannot express`,
      );
    }
    env.push({ name: setting.env, value: setting.value });
  }
  return env;
}

/** The spec without its environments: what `job/main.py` is rendered from. */
export function withoutEnvironments(spec: PipelineSpec): PipelineSpec {
  const { environments: _all, ...pipeline } = spec.pipeline;
  return { pipeline };
}

/**
 * The environments a spec declares, in promotion order, each resolved;
 * empty when it declares none.
 */
export function deployEnvironments(
  spec: PipelineSpec,
  options: ResolvedRenderOptions,
): DeployEnvironment[] {
  const base = withoutEnvironments(spec);
  return pipelineEnvironments(spec).map(environment => {
    const resolved = resolveEnvironment(spec, environment.name);
    const envOptions: ResolvedRenderOptions = {
      ...options,
      namespace: environment.namespace,
      kubernetesCluster:
        environment.kubernetes_cluster ?? options.kubernetesCluster,
    };
    return {
      name: environment.name,
      spec: resolved,
      options: envOptions,
      queryName: environmentQueryName(spec.pipeline.name, environment.name),
      kubernetesClusterOfItsOwn: environment.kubernetes_cluster !== undefined,
      env: environmentVariables(
        base,
        { name: environment.name, spec: resolved },
        options,
        new Set(podEnvironment(resolved, envOptions).env.map(v => v.name)),
      ),
    };
  });
}
