import {
  KAFKA_TOPIC_PATTERN,
  MAX_SPEC_TEXT_LENGTH,
  PipelineSpec,
} from '@internal/plugin-streaming-common';
import { RenderInputError } from './RenderInputError';

/**
 * Deployment facts that are not part of a pipeline spec.
 *
 * @public
 */
export interface RenderOptions {
  /** Container image of the job; default `streaming-pipelines/<name>:latest`. */
  image?: string;
  /** Kubernetes namespace of the SparkApplication; default `streaming`. */
  namespace?: string;
  /** Spark version of the image; default `4.0.0`. */
  sparkVersion?: string;
  /** Kubernetes service account of the driver; default `spark`. */
  serviceAccount?: string;
  /** Kubernetes cluster (name in app-config) the pipeline runs on. */
  kubernetesCluster?: string;
  /** Progress topic default of the job; default `streaming.progress`. */
  progressTopic?: string;
  /** Base URL of the pipeline's TechDocs, for `runbook_url` in alerts. */
  techdocsBaseUrl?: string;
  /**
   * Git URL of the pipeline's repository; when set, an Argo CD `Application`
   * syncing its `deploy/` folder from main is rendered.
   */
  repositoryUrl?: string;
  /**
   * Whether to write `pipeline.yaml` (default true). With `specText`, that
   * text is written as is (comments kept); otherwise the spec is serialized.
   */
  includeSpec?: boolean;
  specText?: string;
}

/** The options with defaults applied. */
export interface ResolvedRenderOptions {
  image: string;
  namespace: string;
  sparkVersion: string;
  serviceAccount: string;
  kubernetesCluster?: string;
  progressTopic?: string;
  techdocsBaseUrl?: string;
  repositoryUrl?: string;
  includeSpec: boolean;
  specText?: string;
}

export const DEFAULT_NAMESPACE = 'streaming';
export const DEFAULT_SPARK_VERSION = '4.0.0';
export const DELTA_VERSION = '4.0.0';

const KUBERNETES_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const KUBERNETES_SUBDOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const text =
  (test: (value: string) => boolean) =>
  (value: unknown): boolean =>
    typeof value === 'string' && test(value);

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) {
    return false;
  }
  const url = new URL(value);
  return (
    ['http:', 'https:'].includes(url.protocol) && !url.username && !url.password
  );
}

/** What each render option must look like, and the message when it does not. */
const OPTION_RULES: Record<
  keyof RenderOptions,
  { check: (value: unknown) => boolean; expected: string }
> = {
  image: {
    check: text(v => /^[a-z0-9][a-z0-9._/:@-]{0,254}$/.test(v)),
    expected:
      'expected a container image reference such as registry.example.com/team/job:1.0',
  },
  namespace: {
    check: text(v => KUBERNETES_LABEL.test(v)),
    expected:
      'expected a Kubernetes namespace: at most 63 lower-case letters, digits and "-"',
  },
  sparkVersion: {
    check: text(v => /^\d{1,2}\.\d{1,2}\.\d{1,3}$/.test(v)),
    expected: 'expected a Spark version such as 4.0.0',
  },
  serviceAccount: {
    check: text(v => KUBERNETES_SUBDOMAIN.test(v)),
    expected: 'expected a Kubernetes service account name',
  },
  kubernetesCluster: {
    check: text(v => /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(v)),
    expected: 'expected the name of a Kubernetes cluster in app-config',
  },
  progressTopic: {
    check: text(
      v =>
        KAFKA_TOPIC_PATTERN.test(v) &&
        !/^(__|-)/.test(v) &&
        v !== '.' &&
        v !== '..',
    ),
    expected:
      'expected a Kafka topic name (letters, digits, ".", "_" and "-", not starting with "__" or "-")',
  },
  techdocsBaseUrl: {
    check: text(isHttpUrl),
    expected: 'expected an http(s) URL without credentials',
  },
  repositoryUrl: {
    check: text(isHttpUrl),
    expected: 'expected an http(s) URL without credentials',
  },
  includeSpec: {
    check: v => typeof v === 'boolean',
    expected: 'expected true or false',
  },
  specText: {
    check: text(v => v.length <= MAX_SPEC_TEXT_LENGTH),
    expected: `expected the spec's YAML text, at most ${MAX_SPEC_TEXT_LENGTH} characters`,
  },
};

/**
 * The problems of render options, each naming the option; empty when they
 * are valid. Options are checked here and not only by callers: whatever
 * calls the library, an option never lands unchecked in a Dockerfile,
 * manifest or link.
 */
export function checkRenderOptions(
  options: RenderOptions,
): Array<{ option: string; message: string }> {
  return Object.entries(options).flatMap(([option, value]) => {
    if (value === undefined) {
      return [];
    }
    if (!Object.hasOwn(OPTION_RULES, option)) {
      return [{ option, message: 'unknown option' }];
    }
    const rule = OPTION_RULES[option as keyof RenderOptions];
    return rule.check(value) ? [] : [{ option, message: rule.expected }];
  });
}

/** Checks render options and applies their defaults. */
export function resolveOptions(
  spec: PipelineSpec,
  options: RenderOptions,
): ResolvedRenderOptions {
  const problems = checkRenderOptions(options);
  if (problems.length > 0) {
    throw new RenderInputError(
      problems.map(p => ({
        option: `options.${p.option}`,
        message: p.message,
      })),
    );
  }
  return {
    ...options,
    image: options.image ?? `streaming-pipelines/${spec.pipeline.name}:latest`,
    namespace: options.namespace ?? DEFAULT_NAMESPACE,
    sparkVersion: options.sparkVersion ?? DEFAULT_SPARK_VERSION,
    serviceAccount: options.serviceAccount ?? 'spark',
    includeSpec: options.includeSpec ?? true,
  };
}
