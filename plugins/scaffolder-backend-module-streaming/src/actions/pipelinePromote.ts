import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_PIPELINE_SPEC,
  nextEnvironment,
  pipelineEnvironments,
  PipelineSpec,
} from '@internal/plugin-streaming-common';
import {
  readRepositoryRender,
  renderPipeline,
  RenderOptions,
  REPOSITORY_WORKFLOW_PATH,
} from '@internal/plugin-streaming-codegen';
import { parse } from 'yaml';
import { z } from 'zod/v3';
import {
  AppliedObject,
  KubernetesApplier,
  KubernetesManifest,
} from '../services/KubernetesApplier/KubernetesApplier';
import { parseActionInput } from './parseActionInput';
import { readOwnedPipeline } from './readOwnedPipeline';
import { requireValidSpec } from './specInput';
import { examples } from './pipelinePromote.examples';

/** `kind:namespace/name`, as the EntityPicker fills it. */
const ENTITY_REF =
  /^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9-_.]*\/[a-z0-9][a-z0-9-_.]*$/i;

const FIELD_MANAGER = 'backstage-streaming';

/** The label naming the environment of a pipeline's objects. */
export const ENVIRONMENT_LABEL = 'streaming-platform.dev/environment';

/** How long the streaming backend has to answer the health check. */
const HEALTH_TIMEOUT_MS = 15_000;

const inputSchema = z.object({
  entityRef: z
    .string()
    .regex(ENTITY_REF, 'expected an entity ref such as component:default/name')
    .describe(
      'The pipeline to promote (a Component of type streaming-pipeline the user running the task owns, whose spec declares pipeline.environments)',
    ),
  from: z
    .string()
    .max(63)
    .optional()
    .describe(
      'The environment whose running version is promoted; default: the first of pipeline.environments',
    ),
  to: z
    .string()
    .max(63)
    .optional()
    .describe(
      'The environment it is promoted to; must be the one right after from in pipeline.environments (default). Skipping one is refused',
    ),
  dryRun: z
    .boolean()
    .optional()
    .describe(
      'Run the checks and show the plan; nothing is applied (also when the task itself is a dry run)',
    ),
});

const checkSchema = z.object({
  name: z
    .enum(['running', 'image', 'health'])
    .describe(
      'running: the from SparkApplication exists and is RUNNING; image: its image is set; health: the streaming backend says the from environment is ok',
    ),
  passed: z.boolean(),
  reason: z.string(),
});

const outputSchema = z.object({
  dryRun: z.boolean(),
  from: z.string().describe('The environment promoted from'),
  to: z.string().describe('The environment promoted to'),
  image: z.string().describe('The image promoted: the from environment’s'),
  checks: z.array(checkSchema).describe('Each check, passed or not, and why'),
  applied: z
    .object({
      kind: z.string(),
      name: z.string(),
      namespace: z.string(),
      cluster: z.string(),
      resourceVersion: z.string(),
      result: z.enum(['created', 'configured', 'unchanged']),
      dryRun: z.boolean(),
    })
    .describe(
      'The to environment’s SparkApplication and what the apply did (in dry run: would do, nothing kept)',
    ),
  summary: z.string().describe('The checks and the result in Markdown'),
});

export type PromotionCheck = z.infer<typeof checkSchema>;

/** Where one environment's SparkApplication runs, and its manifest. */
interface EnvironmentTarget {
  name: string;
  cluster: string;
  namespace: string;
  manifest: KubernetesManifest;
}

/** The answer of the streaming backend's environments route (the parts read). */
interface EnvironmentsResponse {
  environments?: Array<{ name?: unknown; health?: unknown }>;
}

/** An error and its cause (fetch says only "fetch failed"). */
function describe(error: unknown): string {
  const { message, cause } = error as Error & { cause?: unknown };
  const because = (cause as Error | undefined)?.message;
  return because ? `${message} (${because})` : message;
}

/** A Markdown table cell. */
function cell(text: string): string {
  return text.replace(/[|\\`]/g, c => `\\${c}`).replace(/\n/g, ' ');
}

/**
 * The SparkApplication of one environment, as the generator renders it for
 * `deploy/<environment>/spark-application.yaml`.
 */
export function renderEnvironmentSparkApplication(
  spec: PipelineSpec,
  environment: string,
  options: RenderOptions,
): KubernetesManifest {
  const own = renderPipeline(spec, { ...options, includeSpec: false }).find(
    f => f.path === `deploy/${environment}/spark-application.yaml`,
  );
  if (!own) {
    throw new Error(
      `the generator rendered no SparkApplication for environment ${environment}`,
    );
  }
  return parse(own.content) as KubernetesManifest;
}

/**
 * `streaming:pipeline:promote`: promotes the version a pipeline runs in one
 * environment to the next of its spec's `pipeline.environments`. The version
 * is the from environment's SparkApplication image; it is promoted only when
 * that SparkApplication is RUNNING, has an image, and the streaming backend
 * says the environment is healthy. The to environment's SparkApplication,
 * rendered from the current spec for that environment with that image, is
 * server-side applied (applying it again changes nothing). Every check
 * runs before anything changes; a failed one refuses the promotion, naming
 * each failure. Dry run: the checks and the plan, nothing applied.
 *
 * @public
 */
export function createPipelinePromoteAction(options: {
  applier: KubernetesApplier;
  catalog: CatalogService;
  reader: UrlReaderService;
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const { applier, catalog, reader, discovery, auth } = options;
  return createTemplateAction({
    id: 'streaming:pipeline:promote',
    description:
      "Promotes a pipeline from one environment to the next of its spec's pipeline.environments: checks that the from environment's SparkApplication is RUNNING, that its image is set and that the streaming backend reports the environment healthy (ok), then server-side applies the to environment's SparkApplication, rendered from the current spec for that environment, with that image. A failed check refuses the promotion and changes nothing; skipping an environment is refused. Applying again changes nothing. Dry run runs the checks and shows the plan.",
    examples,
    supportsDryRun: true,
    schema: {
      input: () => inputSchema,
      output: () => outputSchema,
    },
    async handler(ctx) {
      const input = parseActionInput(inputSchema, ctx.input);
      const dryRun = Boolean(ctx.isDryRun || input.dryRun);
      const credentials = await ctx.getInitiatorCredentials();
      const entity = await readOwnedPipeline({
        catalog,
        credentials,
        entityRef: input.entityRef,
        user: ctx.user,
        refused: 'it is not promoted',
      });
      const entityRef = stringifyEntityRef(entity);
      const { spec, renderOptions } = await readSpec(entity);
      const { from, to } = promotionStep(spec, input.from, input.to);

      const fromTarget = target(entity, spec, from, renderOptions);
      const checks: PromotionCheck[] = [];
      const check = (
        name: PromotionCheck['name'],
        passed: boolean,
        reason: string,
      ) => {
        checks.push({ name, passed, reason });
        ctx.logger.info(
          `check ${name}: ${passed ? 'pass' : 'fail'}: ${reason}`,
        );
      };

      // (a) and (b): the from environment's SparkApplication.
      const fromLabel = `SparkApplication ${fromTarget.namespace}/${fromTarget.manifest.metadata.name} on Kubernetes cluster "${fromTarget.cluster}"`;
      let running: { spec?: { image?: unknown }; status?: any } | undefined;
      let readError: string | undefined;
      try {
        running = (await applier.readOwned(
          fromTarget.cluster,
          {
            kind: 'SparkApplication',
            name: fromTarget.manifest.metadata.name,
            namespace: fromTarget.namespace,
          },
          entityRef,
        )) as typeof running;
      } catch (error) {
        readError = (error as Error).message;
      }
      const state: string | undefined =
        running?.status?.applicationState?.state;
      if (readError) {
        check('running', false, `${fromLabel} could not be read: ${readError}`);
      } else if (!running) {
        check('running', false, `${fromLabel} does not exist`);
      } else if (state !== 'RUNNING') {
        check(
          'running',
          false,
          `${fromLabel} is ${state ?? 'in no state yet'}, not RUNNING`,
        );
      } else {
        check('running', true, `${fromLabel} is RUNNING`);
      }
      const image =
        typeof running?.spec?.image === 'string'
          ? running.spec.image.trim()
          : '';
      if (!running) {
        check(
          'image',
          false,
          `no SparkApplication in ${from} to take the image from`,
        );
      } else if (!image) {
        check('image', false, `${fromLabel} has no spec.image`);
      } else {
        check('image', true, `${from} runs ${image}`);
      }

      // (c): the from environment's health, as the streaming backend sees it.
      const health = await environmentHealth(entity, from, credentials);
      check('health', health.passed, health.reason);

      const failed = checks.filter(c => !c.passed);
      if (failed.length > 0) {
        ctx.output('checks', checks);
        throw new InputError(
          [
            `Promotion of ${entityRef} from ${from} to ${to} refused: ${failed.length} check(s) failed; nothing was changed.`,
            ...failed.map(c => `- ${c.name}: ${c.reason}`),
          ].join('\n'),
        );
      }

      const toTarget = target(entity, spec, to, { ...renderOptions, image });
      const toLabel = `SparkApplication ${toTarget.namespace}/${toTarget.manifest.metadata.name} on Kubernetes cluster "${toTarget.cluster}"`;
      if (
        toTarget.manifest.spec &&
        (toTarget.manifest.spec as any).image !== image
      ) {
        throw new Error(`the rendered ${toLabel} does not run ${image}`);
      }
      applier.check(toTarget.cluster, toTarget.manifest);
      ctx.logger.info(
        `${dryRun ? 'Plan' : 'Applying'}: ${toLabel} with image ${image}`,
      );
      const apply = async () => ({
        ...(await applier.apply(toTarget.cluster, toTarget.manifest, {
          dryRun,
          fieldManager: FIELD_MANAGER,
          entityRef,
        })),
      });
      const result: AppliedObject = dryRun
        ? await apply()
        : await ctx.checkpoint({
            key: `streaming.promote.${entityRef}.${from}.${to}.${image}`,
            fn: apply,
          });
      ctx.logger.info(
        `${toLabel}: ${result.result}${
          dryRun ? ' (dry run: nothing applied)' : ''
        }`,
      );
      const applied = { ...result, cluster: toTarget.cluster };
      ctx.output('dryRun', dryRun);
      ctx.output('from', from);
      ctx.output('to', to);
      ctx.output('image', image);
      ctx.output('checks', checks);
      ctx.output('applied', applied);
      ctx.output(
        'summary',
        [
          dryRun
            ? `Dry run: nothing was applied. The plan: ${toLabel} with image \`${cell(
                image,
              )}\` (the API server would report it ${result.result}).`
            : `Promoted ${entityRef} from ${from} to ${to}: ${toLabel} ${
                result.result
              }, image \`${cell(image)}\`.`,
          '',
          '| Check | Result | Reason |',
          '| --- | --- | --- |',
          ...checks.map(
            c =>
              `| ${c.name} | ${c.passed ? 'pass' : 'fail'} | ${cell(
                c.reason,
              )} |`,
          ),
        ].join('\n'),
      );
    },
  });

  /** The pipeline's spec and recorded render options, read from its repository. */
  async function readSpec(
    entity: Entity,
  ): Promise<{ spec: PipelineSpec; renderOptions: RenderOptions }> {
    const annotations = entity.metadata.annotations ?? {};
    const entityRef = stringifyEntityRef(entity);
    const location = annotations[ANNOTATION_LOCATION];
    const { type, target: base } = location
      ? parseLocationRef(location)
      : { type: 'none', target: '' };
    if (type !== 'url') {
      throw new InputError(
        `${entityRef} was not registered from a url location (${
          location ?? 'none'
        }); its pipeline.yaml cannot be read`,
      );
    }
    const specPath = (annotations[ANNOTATION_PIPELINE_SPEC] ?? '').trim();
    const read = async (path: string) =>
      (
        await (await reader.readUrl(new URL(path, base).href)).buffer()
      ).toString('utf8');
    let specText: string;
    try {
      specText = await read(specPath || './pipeline.yaml');
    } catch (error) {
      throw new InputError(
        `${entityRef}: could not read ${
          specPath || 'pipeline.yaml'
        } from its repository: ${(error as Error).message}`,
      );
    }
    const spec = requireValidSpec({ specText });
    // The render options the repository was rendered with (service account,
    // Spark version, ...), when its workflow records them.
    const workflow = await read(REPOSITORY_WORKFLOW_PATH).catch(() => '');
    const renderOptions = workflow
      ? readRepositoryRender(workflow).options
      : {};
    return { spec, renderOptions };
  }

  /** Where an environment's SparkApplication runs, and its manifest. */
  function target(
    entity: Entity,
    spec: PipelineSpec,
    environment: string,
    renderOptions: RenderOptions,
  ): EnvironmentTarget {
    const env = pipelineEnvironments(spec).find(e => e.name === environment)!;
    const cluster =
      env.kubernetes_cluster ??
      entity.metadata.annotations?.[ANNOTATION_KUBERNETES_CLUSTER];
    if (!cluster) {
      throw new InputError(
        `environment ${environment} names no kubernetes_cluster and ${stringifyEntityRef(
          entity,
        )} has no ${ANNOTATION_KUBERNETES_CLUSTER} annotation`,
      );
    }
    applier.assertCluster(cluster);
    const manifest = renderEnvironmentSparkApplication(spec, environment, {
      ...renderOptions,
      kubernetesCluster: cluster,
    });
    const namespace =
      manifest.metadata.namespace ?? applier.defaultNamespace(cluster);
    manifest.metadata.namespace = namespace;
    return { name: environment, cluster, namespace, manifest };
  }

  /** Check (c): the streaming backend's health of one environment. */
  async function environmentHealth(
    entity: Entity,
    environment: string,
    credentials: BackstageCredentials,
  ): Promise<{ passed: boolean; reason: string }> {
    const ns = encodeURIComponent(entity.metadata.namespace ?? 'default');
    const name = encodeURIComponent(entity.metadata.name);
    let response: Response;
    try {
      const baseUrl = await discovery.getBaseUrl('streaming');
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'streaming',
      });
      response = await fetch(
        `${baseUrl}/pipelines/${ns}/${name}/environments`,
        {
          headers: { Authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
        },
      );
    } catch (error) {
      return {
        passed: false,
        reason: `the streaming backend could not be reached: ${describe(
          error,
        )}`,
      };
    }
    if (!response.ok) {
      return {
        passed: false,
        reason: `the streaming backend answered ${response.status} ${response.statusText} for the pipeline's environments`,
      };
    }
    let body: EnvironmentsResponse;
    try {
      body = (await response.json()) as EnvironmentsResponse;
    } catch {
      return {
        passed: false,
        reason: 'the streaming backend answered with no JSON',
      };
    }
    const found = (body.environments ?? []).find(e => e.name === environment);
    if (!found) {
      return {
        passed: false,
        reason: `the streaming backend knows no environment ${environment} of the pipeline`,
      };
    }
    const health = typeof found.health === 'string' ? found.health : 'unknown';
    return health === 'ok'
      ? { passed: true, reason: `${environment} is healthy (ok)` }
      : { passed: false, reason: `${environment} is ${health}, not ok` };
  }
}

/**
 * The environments of a promotion: `from` (default: the first) and `to`,
 * which must be the one right after it. Errors name the order.
 */
export function promotionStep(
  spec: PipelineSpec,
  fromInput: string | undefined,
  toInput: string | undefined,
): { from: string; to: string } {
  const names = pipelineEnvironments(spec).map(e => e.name);
  const order = names.join(' → ');
  if (names.length < 2) {
    throw new InputError(
      names.length === 0
        ? `the pipeline ${spec.pipeline.name} declares no environments (pipeline.environments); there is nothing to promote`
        : `the pipeline ${spec.pipeline.name} declares one environment (${order}); there is nowhere to promote it`,
    );
  }
  const from = fromInput?.trim() || names[0];
  if (!names.includes(from)) {
    throw new InputError(
      `from: the pipeline has no environment ${JSON.stringify(
        from,
      )}; its environments in promotion order: ${order}`,
    );
  }
  const next = nextEnvironment(spec, from)?.name;
  if (!next) {
    throw new InputError(
      `from: ${from} is the last environment (${order}); there is nowhere to promote it`,
    );
  }
  const to = toInput?.trim() || next;
  if (to === next) {
    return { from, to };
  }
  if (!names.includes(to)) {
    throw new InputError(
      `to: the pipeline has no environment ${JSON.stringify(
        to,
      )}; its environments in promotion order: ${order}`,
    );
  }
  const fromIndex = names.indexOf(from);
  const toIndex = names.indexOf(to);
  if (toIndex <= fromIndex) {
    throw new InputError(
      `to: ${to} does not come after ${from} in the promotion order ${order}; promotion goes forward, one environment at a time`,
    );
  }
  throw new InputError(
    `to: promoting from ${from} to ${to} would skip ${names
      .slice(fromIndex + 1, toIndex)
      .join(
        ', ',
      )}; promotion goes one environment at a time in the order ${order}: promote from ${from} to ${next} first`,
  );
}
