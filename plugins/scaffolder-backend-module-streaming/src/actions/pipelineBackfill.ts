import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_SPARK_APPLICATION,
  PipelineEnvironmentSummary,
  PipelineSummary,
} from '@internal/plugin-streaming-common';
import { z } from 'zod/v3';
import { KafkaAdmins } from '../services/KafkaAdmins/KafkaAdmins';
import {
  KubernetesApplier,
  KubernetesManifest,
} from '../services/KubernetesApplier/KubernetesApplier';
import { pipelineCluster, readOwnedPipeline } from './readOwnedPipeline';
import { parseActionInput } from './parseActionInput';
import { readPipelineSummary } from './readPipelineSummary';
import { examples } from './pipelineBackfill.examples';

/** `kind:namespace/name`, as the EntityPicker fills it. */
const ENTITY_REF =
  /^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9-_.]*\/[a-z0-9][a-z0-9-_.]*$/i;

/** The job's rule for a backfill id (streaming_runtime/backfill.py). */
const BACKFILL_ID = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/** A Kubernetes label value, and the DNS label the driver's service is named after. */
const MAX_NAME_LENGTH = 63;

/** The environment the job's backfill mode reads. */
const ENV = {
  id: 'PIPELINE_BACKFILL_ID',
  from: 'PIPELINE_BACKFILL_FROM',
  to: 'PIPELINE_BACKFILL_TO',
} as const;

/** The variable naming the environment the job runs in (its settings there, its progress key `<pipeline>@<environment>`). */
const ENVIRONMENT_VARIABLE = 'PIPELINE_ENVIRONMENT';

const LABEL_ENVIRONMENT = 'streaming-platform.dev/environment';
const LABEL_BACKFILL_OF = 'streaming-platform.dev/backfill-of';
const LABEL_BACKFILL_ID = 'streaming-platform.dev/backfill-id';

const inputSchema = z.object({
  entityRef: z
    .string()
    .regex(ENTITY_REF, 'expected an entity ref such as component:default/name')
    .describe(
      'The pipeline to backfill (a Component of type streaming-pipeline the user running the task owns)',
    ),
  backfillId: z
    .string()
    .regex(
      BACKFILL_ID,
      'expected 1 to 32 of a-z, 0-9 and "-", starting and ending with a letter or digit',
    )
    .describe(
      "The backfill's id: names its SparkApplication (<pipeline>-backfill-<id>), its checkpoint and its Delta transactions. Running the same id again is a no-op",
    ),
  from: z
    .string()
    .min(1)
    .describe(
      'Where it starts: per-partition offsets of the source topic as JSON ({"0": 120, "2": 80}, only those partitions are read) or a time (ISO 8601 with a zone, or epoch milliseconds)',
    ),
  to: z
    .string()
    .optional()
    .describe(
      'Where it ends, exclusive, of the same kind as from (offsets naming the same partitions); default: the end of each partition when it starts',
    ),
  environment: z
    .string()
    .max(63)
    .optional()
    .describe(
      'The environment (pipeline.environments) to backfill: its SparkApplication in its namespace and Kubernetes cluster, with its settings (prefixed source topic, tables, checkpoint); default: the first. Only for a pipeline whose spec declares environments',
    ),
  cluster: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Kubernetes cluster in app-config; default: the entity's streaming-platform.dev/kubernetes-cluster annotation. With environments: only for an environment that names no kubernetes_cluster",
    ),
});

const outputSchema = z.object({
  dryRun: z.boolean(),
  sparkApplication: z
    .string()
    .describe("The backfill's SparkApplication, namespace/name"),
  result: z.enum(['created', 'would create', 'exists']),
  environment: z
    .string()
    .optional()
    .describe(
      'The environment backfilled; absent for a pipeline without environments',
    ),
  env: z
    .record(z.string())
    .describe('The backfill settings given to the job (environment)'),
  summary: z.string().describe('The plan or result in Markdown'),
});

type Bound =
  | { kind: 'offsets'; offsets: Map<number, number> }
  | { kind: 'time'; millis: number };

/** A bound of the range, checked as the job checks it; errors name the input. */
function parseBound(field: 'from' | 'to', text: string): Bound {
  const value = text.trim();
  if (value.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new InputError(
        `${field}: not valid JSON: ${(error as Error).message}`,
      );
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      Object.keys(parsed).length === 0
    ) {
      throw new InputError(
        `${field}: must map partitions to offsets, for example {"0": 120}`,
      );
    }
    const offsets = new Map<number, number>();
    for (const [partition, offset] of Object.entries(parsed)) {
      if (!/^\d{1,9}$/.test(partition)) {
        throw new InputError(
          `${field}: partition ${JSON.stringify(
            partition,
          )} is not a partition number`,
        );
      }
      if (!Number.isSafeInteger(offset) || (offset as number) < 0) {
        throw new InputError(
          `${field}: the offset of partition ${partition} must be a whole number >= 0`,
        );
      }
      offsets.set(Number(partition), offset as number);
    }
    return { kind: 'offsets', offsets };
  }
  if (/^\d{1,15}$/.test(value)) return { kind: 'time', millis: Number(value) };
  const millis = Date.parse(value);
  if (
    !/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value) ||
    Number.isNaN(millis)
  ) {
    throw new InputError(
      `${field}: must be partition offsets as JSON, an ISO 8601 time with its zone (2026-11-30T06:00:00Z) or epoch milliseconds`,
    );
  }
  return { kind: 'time', millis };
}

/** Checks from and to together; returns the job's environment for them. */
function backfillRange(from: string, to: string | undefined) {
  const start = parseBound('from', from);
  const end = to?.trim() ? parseBound('to', to) : undefined;
  if (end && end.kind !== start.kind) {
    throw new InputError(
      'to: must be of the same kind as from (offsets, or a time)',
    );
  }
  if (start.kind === 'offsets' && end?.kind === 'offsets') {
    const a = [...start.offsets.keys()].sort().join(',');
    const b = [...end.offsets.keys()].sort().join(',');
    if (a !== b) {
      throw new InputError(`to: must name the partitions from names (${a})`);
    }
    const after = [...start.offsets].filter(
      ([p, offset]) => offset > end.offsets.get(p)!,
    );
    if (after.length > 0) {
      throw new InputError(
        `from is after to for partition(s) ${after.map(([p]) => p).join(', ')}`,
      );
    }
  } else if (start.kind === 'time' && end?.kind === 'time') {
    if (start.millis > end.millis) throw new InputError('from is after to');
  }
  return {
    from: from.trim(),
    ...(end ? { to: to!.trim() } : {}),
    partitions:
      start.kind === 'offsets' ? [...start.offsets.keys()] : undefined,
  };
}

interface EnvVar {
  name: string;
  value?: string;
  [key: string]: unknown;
}

/** The driver's env: the pipeline's, with the backfill's settings instead of any it had. */
function withBackfillEnv(env: unknown, settings: Record<string, string>) {
  const names = new Set(Object.values(ENV) as string[]);
  const kept = (Array.isArray(env) ? (env as EnvVar[]) : []).filter(
    e => !names.has(e.name) && e.name !== 'PIPELINE_BACKFILL_CHECKPOINT',
  );
  return [
    ...kept,
    ...Object.entries(settings).map(([name, value]) => ({ name, value })),
  ];
}

/** The backfill settings an existing SparkApplication's driver runs with. */
function backfillEnvOf(spec: Record<string, any> | undefined) {
  const env: EnvVar[] = Array.isArray(spec?.driver?.env)
    ? spec!.driver.env
    : [];
  return Object.fromEntries(
    env
      .filter(e => (Object.values(ENV) as string[]).includes(e.name))
      .map(e => [e.name, String(e.value ?? '')]),
  );
}

/**
 * The environment a backfill runs in: the one named, else the first of the
 * summary's; undefined for a pipeline without environments. Refuses an
 * environment the pipeline does not declare, naming those it does.
 */
function backfillEnvironment(
  entityRef: string,
  summary: PipelineSummary | undefined,
  name: string | undefined,
): PipelineEnvironmentSummary | undefined {
  const declared = summary?.environments ?? [];
  const wanted = name?.trim();
  if (!wanted) return declared[0];
  const found = declared.find(env => env.name === wanted);
  if (found) return found;
  throw new InputError(
    declared.length === 0
      ? `environment: ${entityRef} declares no environments (pipeline.environments${
          summary
            ? ''
            : '; its pipeline summary annotation is missing or unreadable'
        }); run again without environment`
      : `environment: ${entityRef} has no environment ${JSON.stringify(
          wanted,
        )}; it declares ${declared.map(env => env.name).join(', ')}`,
  );
}

/** The default time to live of a backfill's SparkApplication after it ended: 7 days. */
export const BACKFILL_TIME_TO_LIVE_SECONDS = 7 * 24 * 60 * 60;

/**
 * `streaming:pipeline:backfill`: runs a bounded job over a range of a
 * pipeline's Kafka source (offsets or times) into the same sink, as its own
 * SparkApplication `<pipeline's>-backfill-<id>`: the pipeline's own
 * SparkApplication (image, resources, config) with the job's backfill
 * settings in the driver's environment, `restartPolicy: Never` and a
 * `timeToLiveSeconds` after which the Spark Operator deletes it. The job
 * reads them (streaming_runtime.backfill): the availableNow trigger, its own
 * checkpoint, Delta transactions of its own so each batch lands once.
 *
 * For a pipeline whose spec declares environments (its summary annotation
 * lists them), the backfill runs in one: `environment`, default the first.
 * It copies that environment's SparkApplication (same name, in the
 * environment's namespace and Kubernetes cluster, else the pipeline's),
 * whose variables hold the environment's settings (prefixed source topic,
 * tables, checkpoint), and sets `PIPELINE_ENVIRONMENT`, from which the job
 * takes its progress key `<pipeline>@<environment>-backfill-<id>`; offsets
 * are checked against the environment's source topic. An environment the
 * pipeline does not declare is refused, naming those it does.
 *
 * For a pipeline the user owns, whose SparkApplication carries its
 * owner-entity annotation. Idempotent: the same id with the same range is
 * success (`exists`); the same id with another range is a conflict naming
 * the difference. Dry run: the API server validates the object, nothing is
 * kept.
 *
 * @public
 */
export function createPipelineBackfillAction(options: {
  applier: KubernetesApplier;
  catalog: CatalogService;
  /** The clusters of streaming.kafka.clusters: offsets are checked against the source topic's partitions there. */
  kafkaAdmins: KafkaAdmins;
  /**
   * How long the Spark Operator keeps a backfill's SparkApplication after it
   * ended (its `timeToLiveSeconds`), from
   * `streaming.scaffolder.backfill.timeToLive`. Default: 7 days.
   */
  timeToLiveSeconds?: number;
}) {
  const { applier, catalog, kafkaAdmins } = options;
  const timeToLiveSeconds =
    options.timeToLiveSeconds ?? BACKFILL_TIME_TO_LIVE_SECONDS;
  return createTemplateAction({
    id: 'streaming:pipeline:backfill',
    description:
      "Backfills a pipeline: runs its job once over a range of its Kafka source (partition offsets or times) into the same sink, as its own SparkApplication <pipeline>-backfill-<id> (the pipeline's image and resources, restartPolicy Never, deleted by the Spark Operator streaming.scaffolder.backfill.timeToLive after it ended (default 7 days), the availableNow trigger, its own checkpoint; Delta writes committed once per batch). For a pipeline whose spec declares environments, it runs in one of them (environment, default the first): that environment's SparkApplication, namespace, Kubernetes cluster and settings, progress key <pipeline>@<environment>-backfill-<id>. The same id again is a no-op; another range under that id is an error. Dry run validates with the API server and creates nothing.",
    examples,
    supportsDryRun: true,
    schema: {
      input: () => inputSchema,
      output: () => outputSchema,
    },
    async handler(ctx) {
      const input = parseActionInput(inputSchema, ctx.input);
      const dryRun = Boolean(ctx.isDryRun);
      const range = backfillRange(input.from, input.to);
      const entity = await readOwnedPipeline({
        catalog,
        credentials: await ctx.getInitiatorCredentials(),
        entityRef: input.entityRef,
        user: ctx.user,
        refused: 'it is not backfilled',
      });
      const entityRef = stringifyEntityRef(entity);
      const summary = readPipelineSummary(entity);
      const environment = backfillEnvironment(
        entityRef,
        summary,
        input.environment,
      );
      if (range.partitions) {
        await assertPartitions(
          environment?.summary ?? summary,
          range.partitions,
          environment?.name,
        );
      }
      const annotations = entity.metadata.annotations ?? {};
      const annotation = annotations[ANNOTATION_SPARK_APPLICATION]?.trim();
      if (!annotation) {
        throw new InputError(
          `${entityRef} has no ${ANNOTATION_SPARK_APPLICATION} annotation: its SparkApplication is unknown`,
        );
      }
      // `namespace/name`, or only a name (then the cluster's default namespace).
      const [first, second] = annotation.split('/', 2);
      const pipelineApp = second ?? first;
      // An environment's SparkApplication has the same name, in the
      // environment's namespace and cluster (else the pipeline's).
      const cluster =
        environment?.kubernetesCluster ??
        pipelineCluster(entity, input.cluster);
      const namespace =
        environment?.namespace ??
        (second ? first : applier.defaultNamespace(cluster));
      const name = `${pipelineApp}-backfill-${input.backfillId}`;
      if (name.length > MAX_NAME_LENGTH) {
        throw new InputError(
          `backfillId: the SparkApplication name ${name} is longer than ${MAX_NAME_LENGTH} characters (a Kubernetes label); use a shorter id`,
        );
      }
      const label = `SparkApplication ${namespace}/${name}`;

      const pipeline = await applier.readOwned(
        cluster,
        { kind: 'SparkApplication', name: pipelineApp, namespace },
        entityRef,
      );
      if (!pipeline) {
        throw new NotFoundError(
          `SparkApplication ${namespace}/${pipelineApp} of ${entityRef}${
            environment ? ` in environment ${environment.name}` : ''
          } is not on Kubernetes cluster "${cluster}": a backfill runs the pipeline's own SparkApplication${
            environment ? ' of that environment (promote it there first)' : ''
          }`,
        );
      }
      const env: Record<string, string> = {
        [ENV.id]: input.backfillId,
        [ENV.from]: range.from,
        ...(range.to ? { [ENV.to]: range.to } : {}),
      };
      const report = (result: 'created' | 'would create' | 'exists') => {
        ctx.logger.info(`${label}: ${result}`);
        ctx.output('dryRun', dryRun);
        ctx.output('sparkApplication', `${namespace}/${name}`);
        ctx.output('result', result);
        if (environment) ctx.output('environment', environment.name);
        ctx.output('env', env);
        ctx.output(
          'summary',
          [
            dryRun ? 'Dry run: nothing was created.' : '',
            environment
              ? `Environment ${environment.name}: progress key ${pipelineApp}@${environment.name}-backfill-${input.backfillId}.`
              : '',
            `| SparkApplication | Result | ${Object.keys(env).join(' | ')} |`,
            `| --- | --- |${Object.keys(env)
              .map(() => ' --- |')
              .join('')}`,
            `| ${namespace}/${name} | ${result} | ${Object.values(env)
              .map(v => `\`${v.replace(/[`|\\]/g, c => `\\${c}`)}\``)
              .join(' | ')} |`,
          ]
            .filter(Boolean)
            .join('\n'),
        );
      };

      const existing = await applier.readOwned(
        cluster,
        { kind: 'SparkApplication', name, namespace },
        entityRef,
      );
      if (existing) {
        const running = backfillEnvOf(
          (existing as { spec?: Record<string, any> }).spec,
        );
        const differences = Object.values(ENV)
          .filter(key => (running[key] ?? '') !== (env[key] ?? ''))
          .map(
            key =>
              `${key}: running ${JSON.stringify(
                running[key] ?? null,
              )}, asked ${JSON.stringify(env[key] ?? null)}`,
          );
        if (differences.length > 0) {
          throw new ConflictError(
            `${label} already runs backfill ${
              input.backfillId
            } with another range (${differences.join(
              '; ',
            )}); use a new backfillId`,
          );
        }
        report('exists');
        return;
      }

      const spec = structuredClone(
        (pipeline as { spec?: Record<string, any> }).spec ?? {},
      );
      delete spec.suspend;
      spec.restartPolicy = { type: 'Never' };
      // The operator deletes it that long after it ended: backfills do not pile up.
      spec.timeToLiveSeconds = timeToLiveSeconds;
      // Its Spark metrics under its own name, not mixed into the pipeline's.
      if (spec.sparkConf?.['spark.metrics.namespace']) {
        spec.sparkConf = { ...spec.sparkConf, 'spark.metrics.namespace': name };
      }
      // The environment's own SparkApplication names it already; set
      // again so the job runs with the environment's settings and reports
      // progress as <pipeline>@<environment>-backfill-<id> whatever it holds.
      const named = (vars: unknown) =>
        environment
          ? [
              ...(Array.isArray(vars) ? (vars as EnvVar[]) : []).filter(
                e => e.name !== ENVIRONMENT_VARIABLE,
              ),
              { name: ENVIRONMENT_VARIABLE, value: environment.name },
            ]
          : vars;
      spec.driver = {
        ...spec.driver,
        env: withBackfillEnv(named(spec.driver?.env), env),
      };
      if (environment) {
        spec.executor = { ...spec.executor, env: named(spec.executor?.env) };
      }
      const manifest: KubernetesManifest = {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: {
          name,
          namespace,
          labels: {
            [LABEL_BACKFILL_OF]: pipelineApp,
            [LABEL_BACKFILL_ID]: input.backfillId,
            ...(environment ? { [LABEL_ENVIRONMENT]: environment.name } : {}),
          },
        },
        spec,
      };
      const apply = async () => {
        const applied = await applier.apply(cluster, manifest, {
          dryRun,
          fieldManager: 'backstage-streaming',
          entityRef,
        });
        return { resourceVersion: applied.resourceVersion };
      };
      if (dryRun) {
        await apply();
        report('would create');
        return;
      }
      await ctx.checkpoint({
        key: `streaming.backfill.${entityRef}.${
          environment ? `${environment.name}.` : ''
        }${input.backfillId}`,
        fn: apply,
      });
      report('created');
    },
  });
  /**
   * Offsets name partitions the source topic has (the environment's, with its
   * prefix), when its cluster (from the pipeline summary) is one of
   * streaming.kafka.clusters; otherwise the job checks them when it starts.
   */
  async function assertPartitions(
    summary: PipelineSummary | undefined,
    partitions: number[],
    environment: string | undefined,
  ) {
    const source = summary?.source;
    const topic = source?.topics.length === 1 ? source.topics[0] : undefined;
    if (
      !topic ||
      !source?.cluster ||
      !kafkaAdmins.clusterNames().includes(source.cluster)
    ) {
      return;
    }
    const admin = await kafkaAdmins.get(source.cluster);
    const existing = new Set(
      (await admin.fetchTopicOffsets(topic)).map(p => p.partition),
    );
    const unknown = partitions
      .filter(p => !existing.has(p))
      .sort((a, b) => a - b);
    if (unknown.length > 0) {
      throw new InputError(
        `from: topic ${topic}${
          environment ? ` (environment ${environment})` : ''
        } on Kafka cluster "${
          source.cluster
        }" has no partition(s) ${unknown.join(', ')} (it has ${
          existing.size
        }); nothing was created`,
      );
    }
  }
}
