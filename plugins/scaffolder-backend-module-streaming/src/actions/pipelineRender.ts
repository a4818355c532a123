import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  createTemplateAction,
  parseRepoUrl,
} from '@backstage/plugin-scaffolder-node';
import {
  readRepositoryRender,
  renderPipeline,
  REPOSITORY_WORKFLOW_PATH,
  RenderOptions,
} from '@internal/plugin-streaming-codegen';
import { pipelineEnvironments } from '@internal/plugin-streaming-common';
import { SchemaRegistries } from '@internal/plugin-streaming-node';
import fs from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod/v3';
import { parseActionInput } from './parseActionInput';
import { examples } from './pipelineRender.examples';
import { resolveRegistrySchema } from './resolveRegistrySchema';
import { requireValidSpec, specInputFields } from './specInput';

const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const inputSchema = z.object({
  ...specInputFields,
  targetPath: z
    .string()
    .optional()
    .describe(
      'Folder of the workspace to write into; the workspace root if omitted',
    ),
  namespace: z
    .string()
    .regex(KUBERNETES_NAME, 'expected a Kubernetes namespace name')
    .optional()
    .describe(
      'Kubernetes namespace of the SparkApplication; default `streaming`',
    ),
  image: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._\/:@-]{0,254}$/,
      'expected a container image reference such as registry.example.com/team/job:1.0',
    )
    .optional()
    .describe(
      'Container image of the job; default `streaming-pipelines/<name>:latest`',
    ),
  kubernetesCluster: z
    .string()
    .regex(/^([A-Za-z0-9][A-Za-z0-9._-]{0,62})?$/, 'expected a cluster name')
    .optional()
    .describe(
      'Kubernetes cluster (name in app-config) the pipeline will run on; empty for none yet',
    ),
  repoUrl: z
    .string()
    .max(500)
    .optional()
    .describe(
      "The repository the files are published to, in the scaffolder's repoUrl form (`github.com?owner=team&repo=clicks`, as the RepoUrlPicker writes it). With it, the Argo CD Application that syncs the repository's deploy/ folder is rendered; empty for a repository with no URL yet (local publish)",
    ),
  optionsFromRepository: z
    .boolean()
    .optional()
    .describe(
      'Render again with the options the repository in targetPath was rendered with, as its .github/workflows/pipeline.yaml records them (the Update pipeline template); the inputs above override them. Fails when that file is missing',
    ),
});

const outputSchema = z.object({
  pipelineName: z.string().describe('The pipeline name'),
  files: z
    .array(z.string())
    .describe('Paths written, relative to the workspace'),
  catalogInfoPath: z
    .string()
    .describe('Path of catalog-info.yaml, relative to the workspace'),
  sparkApplicationPath: z
    .string()
    .describe(
      "Path of the SparkApplication manifest, relative to the workspace (streaming:sparkApplication:apply takes it, or the whole deploy/ folder); with environments, the first environment's (deploy/<environment>/spark-application.yaml)",
    ),
  schemaVersion: z
    .number()
    .optional()
    .describe(
      "With a registry subject as the source's schema: the version the pipeline was built for (pinned in pipeline.yaml; its schema written to schemas/<subject>.avsc, schemas/<subject>.schema.json for JSON payloads or schemas/<subject>.proto for Protobuf ones)",
    ),
});

/**
 * `streaming:pipeline:render`: writes the pipeline repository generated from
 * a spec (job, image, manifests, alerts, docs, catalog-info.yaml) into the
 * workspace.
 *
 * @public
 */
export function createPipelineRenderAction(options: {
  integrations: ScmIntegrationRegistry;
  /** `streaming.schemaRegistries`: where a registry subject of the spec is read. */
  schemaRegistries?: SchemaRegistries;
}) {
  return createTemplateAction({
    id: 'streaming:pipeline:render',
    description:
      'Generates the files of a pipeline repository from a pipeline spec (the PySpark job, its Dockerfile, SparkApplication, PrometheusRule, table maintenance, TechDocs and catalog-info.yaml) and writes them into the workspace. Fails, writing nothing, when the spec is invalid.',
    examples,
    supportsDryRun: true,
    schema: {
      input: () => inputSchema,
      output: () => outputSchema,
    },
    async handler(ctx) {
      const input = parseActionInput(inputSchema, ctx.input);
      // A registry subject is resolved here, the version pinned and its schema kept.
      const resolved = await resolveRegistrySchema(
        requireValidSpec(input),
        input.specText,
        options.schemaRegistries,
      );
      const spec = resolved.spec;
      const targetPath = input.targetPath ?? '.';
      const targetDir = resolveSafeChildPath(ctx.workspacePath, targetPath);
      const recorded = input.optionsFromRepository
        ? await recordedOptions(targetDir)
        : {};
      const files = [
        ...renderPipeline(spec, {
          ...recorded,
          namespace: input.namespace ?? recorded.namespace,
          image: input.image ?? recorded.image,
          kubernetesCluster:
            input.kubernetesCluster || recorded.kubernetesCluster,
          repositoryUrl: input.repoUrl
            ? cloneUrl(input.repoUrl, options.integrations)
            : recorded.repositoryUrl,
          specText: resolved.specText,
        }),
        ...(resolved.file ? [resolved.file] : []),
      ];
      const destinations = files.map(file => ({
        file,
        destination: resolveSafeChildPath(targetDir, file.path),
      }));
      const written: string[] = [];
      for (const { file, destination } of destinations) {
        ctx.signal?.throwIfAborted();
        await fs.promises.mkdir(dirname(destination), { recursive: true });
        await fs.promises.writeFile(destination, file.content, {
          mode: file.executable ? 0o755 : 0o644,
        });
        written.push(joinPath(targetPath, file.path));
      }
      if (resolved.schema) {
        const { registry, subject, version, id } = resolved.schema;
        ctx.logger.info(
          `Pipeline ${spec.pipeline.name} reads version ${version} (schema id ${id}) of subject ${subject} in schema registry ${registry}`,
        );
        ctx.output('schemaVersion', version);
      }
      ctx.logger.info(
        `Rendered pipeline ${spec.pipeline.name}: ${written.length} files`,
      );
      ctx.output('pipelineName', spec.pipeline.name);
      ctx.output('files', written);
      ctx.output('catalogInfoPath', joinPath(targetPath, 'catalog-info.yaml'));
      // With environments, the first one's: where Create deploys.
      const first = pipelineEnvironments(spec)[0];
      ctx.output(
        'sparkApplicationPath',
        joinPath(
          targetPath,
          first
            ? `deploy/${first.name}/spark-application.yaml`
            : 'deploy/spark-application.yaml',
        ),
      );
    },
  });
}

/** The render options a repository's workflow records (see readRepositoryRender). */
async function recordedOptions(targetDir: string): Promise<RenderOptions> {
  const workflow = resolveSafeChildPath(targetDir, REPOSITORY_WORKFLOW_PATH);
  let text: string;
  try {
    text = await fs.promises.readFile(workflow, 'utf8');
  } catch {
    throw new InputError(
      `optionsFromRepository: the workspace has no ${REPOSITORY_WORKFLOW_PATH} recording how the repository was rendered`,
    );
  }
  try {
    return readRepositoryRender(text).options;
  } catch (error) {
    throw new InputError(`optionsFromRepository: ${(error as Error).message}`);
  }
}

function joinPath(folder: string, path: string): string {
  const trimmed = folder.replace(/^\.\/?/, '').replace(/\/+$/, '');
  return trimmed ? `${trimmed}/${path}` : path;
}

/**
 * The HTTPS clone URL of a repository given in the scaffolder's repoUrl form,
 * on a host with an integration in app-config (the URL Argo CD syncs from).
 */
function cloneUrl(repoUrl: string, integrations: ScmIntegrationRegistry) {
  const { host, owner, repo } = parseRepoUrl(repoUrl, integrations);
  if (!owner) {
    throw new InputError(
      `repoUrl: ${host} repositories need an owner (?owner=...) for a clone URL`,
    );
  }
  return `https://${host}/${encodeURIComponent(owner)}/${encodeURIComponent(
    repo,
  )}.git`;
}
