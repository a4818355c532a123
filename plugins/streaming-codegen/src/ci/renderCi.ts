import { PipelineSpec } from '@internal/plugin-streaming-common';
import { GENERATOR_VERSION } from '../cli/version';
import type { DeployEnvironment } from '../manifests/deployEnvironments';
import { pipelineLabels } from '../manifests/labels';
import { RenderInputError } from '../RenderInputError';
import { ResolvedRenderOptions } from '../RenderOptions';
import { unregisteredSourceReason } from '../schemaRegistry/sourceRegistrySchema';

/**
 * The test tools a pipeline repository's CI installs next to `requirements.txt`;
 * the same pins as the platform's own Python tests (`scripts/spark.sh`).
 */
export const PYTHON_TEST_TOOLS = ['pytest==9.2.0', 'ruff==0.17.5'];

/** The workflow's variable naming the CLI (and so the generator version) it runs. */
export const CLI_ENV = 'STREAMING_PIPELINE_CLI';

/** The npm package of the CLI. */
export const CLI_PACKAGE = 'streaming-pipeline';

/** The repository variable holding the schema registry's URL (Confluent-compatible API). */
export const REGISTRY_URL_VARIABLE = 'SCHEMA_REGISTRY_URL';

const CLI = 'npx --yes "$STREAMING_PIPELINE_CLI"';

const SETUP_NODE = {
  uses: 'actions/setup-node@v4',
  with: { 'node-version': '22' },
};

const ON_MAIN =
  "github.event_name == 'push' && github.ref == 'refs/heads/main'";

/**
 * The job that checks the source's schema against the schema registry and,
 * on main, registers it as the next version of the topic's subject: a pull
 * request gets the compatibility check only (`--dry-run`); an incompatible
 * schema fails the job naming the fields that break, and nothing is
 * registered. It runs when the repository variable
 * {@link REGISTRY_URL_VARIABLE} is set; credentials come from the secrets
 * `SCHEMA_REGISTRY_USERNAME` and `SCHEMA_REGISTRY_PASSWORD`.
 */
function schemaJob(): object {
  const register = `${CLI} schema register pipeline.yaml --registry-url "$SCHEMA_REGISTRY_URL"`;
  return {
    name: 'Check and register the source schema',
    needs: 'check',
    if: `vars.${REGISTRY_URL_VARIABLE} != ''`,
    'runs-on': 'ubuntu-24.04',
    'timeout-minutes': 10,
    env: {
      SCHEMA_REGISTRY_URL: `\${{ vars.${REGISTRY_URL_VARIABLE} }}`,
      SCHEMA_REGISTRY_USERNAME: '${{ secrets.SCHEMA_REGISTRY_USERNAME }}',
      SCHEMA_REGISTRY_PASSWORD: '${{ secrets.SCHEMA_REGISTRY_PASSWORD }}',
    },
    steps: [
      { uses: 'actions/checkout@v4' },
      SETUP_NODE,
      {
        name: 'Check compatibility with the registry (nothing registered)',
        if: "github.event_name == 'pull_request'",
        run: `${register} --dry-run`,
      },
      {
        name: 'Register the schema when compatible',
        if: ON_MAIN,
        run: register,
      },
    ],
  };
}

/** Namespace of Argo CD, where its `Application` objects live. */
export const ARGO_CD_NAMESPACE = 'argocd';

/**
 * The registry and repository (no tag, no digest) of an image reference:
 * the first segment names a registry when it has a `.` or `:` or is
 * `localhost`, as Docker reads it; otherwise the image is on Docker Hub.
 */
export function imageRepository(image: string): {
  registry: string;
  repository: string;
} {
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const repository =
    colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  const first = repository.split('/')[0];
  const hasRegistry =
    repository.includes('/') && (/[.:]/.test(first) || first === 'localhost');
  return {
    registry: hasRegistry ? first : 'docker.io',
    repository,
  };
}

/** The render flags (and the options they set) the drift check repeats. */
export const DRIFT_FLAGS: Array<[string, keyof ResolvedRenderOptions]> = [
  ['--namespace', 'namespace'],
  ['--image', 'image'],
  ['--spark-version', 'sparkVersion'],
  ['--service-account', 'serviceAccount'],
  ['--kubernetes-cluster', 'kubernetesCluster'],
  ['--progress-topic', 'progressTopic'],
  ['--techdocs-base-url', 'techdocsBaseUrl'],
  ['--repository-url', 'repositoryUrl'],
];

/** Environment variable carrying a render option into the workflow's shell. */
export const envName = (option: string) =>
  `RENDER_${option.replace(/[A-Z]/g, c => `_${c}`).toUpperCase()}`;

/**
 * The GitHub Actions workflow of a pipeline repository
 * (`.github/workflows/pipeline.yaml`): on every push and pull request it
 * validates the spec with the `streaming-pipeline` CLI of this generator's
 * version, renders the spec again with the options the repository was
 * generated with and fails when a generated file differs (hand edits
 * drifting), lints the job with ruff and runs its pytest tests on a local
 * Spark session; on main it builds and pushes the image. For a Kafka source
 * with a schema file or inline fields, a job checks the schema against the
 * schema registry and registers it on main ({@link schemaJob}).
 * Argo CD then rolls out `deploy/` from main ({@link argoCdApplication}).
 *
 * Option values reach the shell only as environment variables (`"$VAR"`),
 * never inside a command or a GitHub expression.
 */
export function ciWorkflow(
  spec: PipelineSpec,
  options: ResolvedRenderOptions,
): object {
  const given = DRIFT_FLAGS.filter(
    ([, option]) => options[option] !== undefined,
  );
  const env: Record<string, string> = {
    [CLI_ENV]: `${CLI_PACKAGE}@${GENERATOR_VERSION}`,
  };
  for (const [, option] of given) {
    const value = String(options[option]);
    if (value.includes('${{')) {
      throw new RenderInputError([
        {
          option: `options.${option}`,
          message: 'must not contain "${{" (a GitHub Actions expression)',
        },
      ]);
    }
    env[envName(option)] = value;
  }
  const { registry, repository } = imageRepository(options.image);
  const registers = !unregisteredSourceReason(spec);
  const renderArgs = given
    .map(([flag, option]) => `${flag} "$${envName(option)}"`)
    .join(' \\\n  ');
  return {
    name: `pipeline ${spec.pipeline.name}`,
    on: { push: { branches: ['main'] }, pull_request: {} },
    permissions: { contents: 'read' },
    concurrency: {
      group: '${{ github.workflow }}-${{ github.ref }}',
      'cancel-in-progress': true,
    },
    env,
    jobs: {
      check: {
        name: 'Validate, check generated files, test',
        'runs-on': 'ubuntu-24.04',
        'timeout-minutes': 15,
        steps: [
          { uses: 'actions/checkout@v4' },
          SETUP_NODE,
          {
            name: 'Validate pipeline.yaml',
            run: `${CLI} validate pipeline.yaml`,
          },
          {
            name: 'Generated files match pipeline.yaml',
            run: [
              `${CLI} render pipeline.yaml --out . \\\n  ${renderArgs}`,
              'if [ -n "$(git status --porcelain)" ]; then',
              '  echo "::error::generated files differ from what pipeline.yaml renders; edit pipeline.yaml, not the generated files"',
              '  git status --porcelain',
              '  git diff',
              '  exit 1',
              'fi',
              '',
            ].join('\n'),
          },
          {
            uses: 'actions/setup-python@v5',
            with: { 'python-version': '3.11' },
          },
          {
            uses: 'actions/setup-java@v4',
            with: { distribution: 'temurin', 'java-version': '17' },
          },
          {
            name: 'Lint and test the job',
            run: [
              `pip install -r requirements.txt ${PYTHON_TEST_TOOLS.join(' ')}`,
              'ruff check',
              'pytest',
              '',
            ].join('\n'),
          },
        ],
      },
      ...(registers ? { schema: schemaJob() } : {}),
      image: {
        name: 'Build and push the image',
        // With a schema job, an incompatible schema stops the image; a repository
        // without a registry (the job skipped) still gets it.
        ...(registers
          ? {
              needs: ['check', 'schema'],
              if: `!cancelled() && ${ON_MAIN} && needs.check.result == 'success' && (needs.schema.result == 'success' || needs.schema.result == 'skipped')`,
            }
          : { needs: 'check', if: ON_MAIN }),
        'runs-on': 'ubuntu-24.04',
        'timeout-minutes': 30,
        steps: [
          { uses: 'actions/checkout@v4' },
          { uses: 'docker/setup-buildx-action@v3' },
          {
            uses: 'docker/login-action@v3',
            with: {
              registry,
              username: '${{ secrets.REGISTRY_USERNAME }}',
              password: '${{ secrets.REGISTRY_PASSWORD }}',
            },
          },
          {
            uses: 'docker/build-push-action@v6',
            with: {
              context: '.',
              push: true,
              'build-args': 'MAVEN_REPOSITORY=${{ vars.MAVEN_REPOSITORY }}',
              tags: `${options.image}\n${repository}:\${{ github.sha }}\n`,
            },
          },
        ],
      },
    },
  };
}

/**
 * The Argo CD `Application` of a pipeline repository
 * (`argocd/application.yaml`, `argoproj.io/v1alpha1`): Argo CD syncs the
 * YAML manifests of `deploy/` on main (the SparkApplication, the maintenance
 * ScheduledSparkApplication, the PrometheusRule; not the Grafana dashboard)
 * into the pipeline's namespace, pruning what was removed and undoing
 * changes made by hand. Rendered when the repository's URL is known.
 *
 * With environments, one per environment (`argocd/<environment>.yaml`,
 * named `<pipeline>-<environment>`): it syncs `deploy/<environment>/` into
 * the environment's namespace, on the Argo CD cluster named as the
 * environment's Kubernetes cluster when the spec gives one.
 */
export function argoCdApplication(
  spec: PipelineSpec,
  options: ResolvedRenderOptions,
  environment?: Pick<
    DeployEnvironment,
    'name' | 'options' | 'kubernetesClusterOfItsOwn'
  >,
): object | undefined {
  if (!options.repositoryUrl) {
    return undefined;
  }
  const namespace = environment?.options.namespace ?? options.namespace;
  const cluster =
    environment?.kubernetesClusterOfItsOwn &&
    environment.options.kubernetesCluster;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: environment
        ? `${spec.pipeline.name}-${environment.name}`
        : spec.pipeline.name,
      namespace: ARGO_CD_NAMESPACE,
      labels: pipelineLabels(spec, 'deployment', environment?.name),
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: 'default',
      source: {
        repoURL: options.repositoryUrl,
        targetRevision: 'main',
        path: environment ? `deploy/${environment.name}` : 'deploy',
        directory: { include: '*.yaml' },
      },
      destination: {
        ...(cluster
          ? { name: cluster }
          : { server: 'https://kubernetes.default.svc' }),
        namespace,
      },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['ServerSideApply=true'],
      },
    },
  };
}
