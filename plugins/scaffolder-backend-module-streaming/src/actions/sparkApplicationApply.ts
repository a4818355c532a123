import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod/v3';
import {
  AppliedObject,
  KubernetesApplier,
  KubernetesManifest,
} from '../services/KubernetesApplier/KubernetesApplier';
import { assertOwnsEntity } from './assertOwnsEntity';
import { parseActionInput } from './parseActionInput';
import { examples } from './sparkApplicationApply.examples';

const FIELD_MANAGER = 'backstage-streaming';

/** `kind:namespace/name`, as catalog:register outputs it. */
const ENTITY_REF =
  /^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9-_.]*\/[a-z0-9][a-z0-9-_.]*$/i;

const inputSchema = z.object({
  cluster: z
    .string()
    .min(1)
    .describe(
      'Name of the Kubernetes cluster in app-config (`kubernetes.clusterLocatorMethods[].clusters[].name`, the clusters of the Kubernetes tab)',
    ),
  manifestPath: z
    .string()
    .min(1)
    .describe(
      'Path in the workspace of a YAML file with the SparkApplication (and optionally its ScheduledSparkApplication and PrometheusRule), or of a folder whose .yaml files are all applied (the generated `deploy/`: SparkApplication, maintenance ScheduledSparkApplication, PrometheusRule). When the pipeline.yaml beside that folder declares environments and it holds no spark-application.yaml, the folder of its first environment, `deploy/<environment>/`, is applied',
    ),
  namespace: z
    .string()
    .optional()
    .describe(
      "Namespace for objects that name none; the cluster's defaultNamespace if omitted. It must be one of the cluster's allowed namespaces (`streaming.scaffolder.sparkApplications`)",
    ),
  entityRef: z
    .string()
    .regex(ENTITY_REF, 'expected an entity ref such as component:default/name')
    .optional()
    .describe(
      'The catalog entity the objects belong to (usually `${{ steps.register.output.entityRef }}`), written to their `streaming-platform.dev/owner-entity` annotation; an existing object of another entity is never changed, and an entity already in the catalog must be owned by the user running the task. Default: `component:default/<SparkApplication name>`',
    ),
});

const appliedSchema = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string(),
  resourceVersion: z.string(),
  result: z
    .enum(['created', 'configured', 'unchanged'])
    .describe('What the apply did (in dry run: would do)'),
  dryRun: z.boolean(),
});

const outputSchema = z.object({
  name: z.string().describe('Name of the SparkApplication'),
  namespace: z.string().describe('Namespace of the SparkApplication'),
  resourceVersion: z
    .string()
    .describe(
      'resourceVersion of the SparkApplication after the apply; in dry run the current one (empty when it would be created)',
    ),
  applied: z
    .array(appliedSchema)
    .describe(
      'Every object applied (SparkApplication, ScheduledSparkApplication, PrometheusRule, in that order) with its result',
    ),
});

/**
 * `streaming:sparkApplication:apply`: server-side apply of the generated
 * SparkApplication, its maintenance ScheduledSparkApplication and its
 * PrometheusRule to a cluster of the Kubernetes plugin's config, for a
 * catalog entity the user running the task owns (or one not registered yet).
 *
 * @public
 */
export function createSparkApplicationApplyAction(options: {
  applier: KubernetesApplier;
  catalog: CatalogService;
}) {
  const { applier, catalog } = options;
  return createTemplateAction({
    id: 'streaming:sparkApplication:apply',
    description:
      'Applies the generated SparkApplication, maintenance ScheduledSparkApplication and PrometheusRule (server-side apply, field manager "backstage-streaming") to a Kubernetes cluster named in app-config, each within the apply policy of `streaming.scaffolder.sparkApplications` (allowed namespaces, service accounts and image registries; no privileged or host settings) and never over an object of another catalog entity. In dry run the API server validates the objects with dryRun=All and stores nothing.',
    examples,
    supportsDryRun: true,
    schema: {
      input: () => inputSchema,
      output: () => outputSchema,
    },
    async handler(ctx) {
      const input = parseActionInput(inputSchema, ctx.input);
      applier.assertCluster(input.cluster);
      const manifestPath = await firstEnvironmentPath(
        ctx.workspacePath,
        input.manifestPath,
      );
      if (manifestPath !== input.manifestPath) {
        ctx.logger.info(
          `${input.manifestPath}: the spec declares environments; applying ${manifestPath}, its first environment's (later ones are promoted to with streaming:pipeline:promote)`,
        );
      }
      const manifests = await readManifests(
        resolveSafeChildPath(ctx.workspacePath, manifestPath),
        manifestPath,
        input.namespace,
      );
      const sparkApplicationName = manifests.find(
        m => m.kind === 'SparkApplication',
      )!.metadata.name;
      const entityRef =
        input.entityRef ?? `component:default/${sparkApplicationName}`;
      await assertOwnsEntity({
        catalog,
        credentials: await ctx.getInitiatorCredentials(),
        entityRef,
        user: ctx.user,
      });
      // Every object within the policy before the first is sent.
      for (const manifest of manifests) {
        applier.check(input.cluster, manifest);
      }
      const applied: AppliedObject[] = [];
      for (const manifest of manifests) {
        ctx.signal?.throwIfAborted();
        const apply = () =>
          applier.apply(input.cluster, manifest, {
            dryRun: Boolean(ctx.isDryRun),
            fieldManager: FIELD_MANAGER,
            entityRef,
          });
        const result = ctx.isDryRun
          ? await apply()
          : await ctx.checkpoint({
              key: `streaming.kubernetes.apply.${input.cluster}.${
                manifest.kind
              }.${manifest.metadata.namespace ?? ''}.${manifest.metadata.name}`,
              fn: async () => ({ ...(await apply()) }),
            });
        ctx.logger.info(
          `${result.kind} ${result.namespace}/${result.name} ${result.result}${
            ctx.isDryRun ? ' (dry run)' : ''
          }`,
          { cluster: input.cluster, resourceVersion: result.resourceVersion },
        );
        applied.push(result);
      }
      const sparkApplication = applied.find(
        a => a.kind === 'SparkApplication',
      )!;
      ctx.output('name', sparkApplication.name);
      ctx.output('namespace', sparkApplication.namespace);
      ctx.output('resourceVersion', sparkApplication.resourceVersion);
      ctx.output('applied', applied);
    },
  });
}

const SPARK_APPLICATION_FILE = 'spark-application.yaml';

/**
 * Where the objects of a pipeline with environments are: the generator
 * writes `deploy/<environment>/` per environment and no
 * `deploy/spark-application.yaml`. When `manifestPath` is such a folder (or
 * that missing file) and the repository's `pipeline.yaml` beside it declares
 * environments, the first environment's folder (or file) is applied: Create
 * deploys to the first, later ones are promoted to. Otherwise `manifestPath`
 * as given.
 */
async function firstEnvironmentPath(
  workspacePath: string,
  manifestPath: string,
): Promise<string> {
  const target = resolveSafeChildPath(workspacePath, manifestPath);
  const stat = await fs.promises.stat(target).catch(() => undefined);
  let folder: string;
  let file: string | undefined;
  if (stat?.isDirectory()) {
    if (fs.existsSync(path.join(target, SPARK_APPLICATION_FILE))) {
      return manifestPath;
    }
    folder = manifestPath;
  } else if (!stat && path.basename(manifestPath) === SPARK_APPLICATION_FILE) {
    folder = path.dirname(manifestPath);
    file = SPARK_APPLICATION_FILE;
  } else {
    return manifestPath;
  }
  let text = '';
  try {
    text = await fs.promises.readFile(
      resolveSafeChildPath(
        workspacePath,
        path.join(folder, '..', 'pipeline.yaml'),
      ),
      'utf8',
    );
  } catch {
    // No spec beside the folder (or it would be outside the workspace).
  }
  const first = text
    ? parsePipelineSpec(text).spec?.pipeline.environments?.[0]?.name
    : undefined;
  if (!first) {
    return manifestPath;
  }
  return path.posix.join(folder, first, ...(file ? [file] : []));
}

/** The order objects are applied and reported in: the SparkApplication first. */
const KIND_ORDER = ['SparkApplication', 'ScheduledSparkApplication'];

/** The manifests of a YAML file, or of every .yaml file of a folder. */
async function readManifests(
  target: string,
  label: string,
  namespace: string | undefined,
): Promise<KubernetesManifest[]> {
  const stat = await fs.promises.stat(target).catch(() => {
    throw new InputError(`${label} does not exist in the workspace`);
  });
  const files = stat.isDirectory()
    ? (await fs.promises.readdir(target, { withFileTypes: true }))
        // Regular files only: a symbolic link could point out of the workspace.
        .filter(entry => entry.isFile() && /\.ya?ml$/.test(entry.name))
        .map(entry => entry.name)
        .sort()
        .map(name => ({
          file: path.join(target, name),
          label: `${label}/${name}`,
        }))
    : [{ file: target, label }];
  const manifests: KubernetesManifest[] = [];
  for (const file of files) {
    manifests.push(
      ...(await readManifestFile(file.file, file.label, namespace)),
    );
  }
  if (!manifests.some(m => m.kind === 'SparkApplication')) {
    throw new InputError(`${label} holds no SparkApplication`);
  }
  const rank = (kind: string) =>
    KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length;
  return manifests.sort((a, b) => rank(a.kind) - rank(b.kind));
}

async function readManifestFile(
  file: string,
  label: string,
  namespace: string | undefined,
): Promise<KubernetesManifest[]> {
  const text = await fs.promises.readFile(file, 'utf8');
  const documents = parseAllDocuments(text, { strict: true });
  if (!Array.isArray(documents)) {
    throw new InputError(`${label} is empty`);
  }
  const manifests: KubernetesManifest[] = [];
  for (const [index, document] of documents.entries()) {
    if (document.errors.length > 0) {
      throw new InputError(
        `${label}: invalid YAML in document ${index + 1}: ${
          document.errors[0].message.split('\n')[0]
        }`,
      );
    }
    const value = document.toJS({ maxAliasCount: 0 }) as KubernetesManifest;
    if (value === null) {
      continue;
    }
    if (typeof value !== 'object' || typeof value.metadata !== 'object') {
      throw new InputError(
        `${label}: document ${index + 1} is not a Kubernetes object`,
      );
    }
    if (namespace !== undefined && value.metadata.namespace === undefined) {
      value.metadata.namespace = namespace;
    }
    const problems = KubernetesApplier.validate(value);
    if (problems.length > 0) {
      throw new InputError(
        `${label}: document ${index + 1}: ${problems.join('; ')}`,
      );
    }
    manifests.push(value);
  }
  return manifests;
}
