import {
  BackstageCredentials,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KAFKA_TOPIC,
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_SPARK_APPLICATION,
  PipelineSummary,
} from '@internal/plugin-streaming-common';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod/v3';
import { KafkaAdmins } from '../services/KafkaAdmins/KafkaAdmins';
import {
  KubernetesApplier,
  OwnedObject,
} from '../services/KubernetesApplier/KubernetesApplier';
import { assertOwnsEntity } from './assertOwnsEntity';
import { assertIsPipeline, pipelineCluster } from './readOwnedPipeline';
import { parseActionInput } from './parseActionInput';
import { readPipelineSummary } from './readPipelineSummary';
import { examples } from './pipelineDecommission.examples';

/** `kind:namespace/name`, as the EntityPicker fills it. */
const ENTITY_REF =
  /^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9-_.]*\/[a-z0-9][a-z0-9-_.]*$/i;

/** Kafka's legal topic names; `__` topics are the broker's own. */
const TOPIC_NAME = /^(?!__)[a-zA-Z0-9._-]{1,249}$/;

const inputSchema = z.object({
  entityRef: z
    .string()
    .regex(ENTITY_REF, 'expected an entity ref such as component:default/name')
    .describe(
      'The pipeline to decommission (a Component of type streaming-pipeline the user running the task owns)',
    ),
  confirmation: z
    .string()
    .describe(
      "The pipeline's name, typed by the user: nothing happens unless it equals metadata.name of the entity",
    ),
  cluster: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Kubernetes cluster in app-config; default: the entity's streaming-platform.dev/kubernetes-cluster annotation. With environments: only for the environments that name no kubernetes_cluster",
    ),
  namespace: z
    .string()
    .optional()
    .describe(
      "Namespace of its objects; default: the namespace of the entity's streaming-platform.dev/spark-application annotation, else the cluster's defaultNamespace. Not used for a pipeline with environments: each names its own. Must be one the apply policy allows",
    ),
  deleteTopics: z
    .boolean()
    .default(false)
    .describe(
      "Also delete the Kafka topics the pipeline writes (its outputs in the catalog; with environments, each environment's sink and dead-letter topics with its topic prefix and Kafka cluster); refused when another entity reads one",
    ),
  deleteCheckpoint: z
    .boolean()
    .default(false)
    .describe(
      "Also delete its checkpoint location (with environments, each environment's), when it is under one of streaming.scaffolder.decommission.checkpointRoots",
    ),
});

const RESULTS = [
  'deleted',
  'would delete',
  'gone',
  'kept',
  'unregistered',
  'would unregister',
] as const;

const objectSchema = z.object({
  environment: z
    .string()
    .optional()
    .describe(
      'The environment (pipeline.environments) the object belongs to; absent for a pipeline without environments and for its catalog location',
    ),
  type: z
    .string()
    .describe(
      'SparkApplication, ScheduledSparkApplication, PrometheusRule, KafkaTopic, Checkpoint, DeltaTable or CatalogLocation',
    ),
  name: z.string().describe('Namespace/name, topic, path or location'),
  result: z.enum(RESULTS),
  detail: z.string().optional(),
});

const outputSchema = z.object({
  dryRun: z.boolean(),
  summary: z
    .string()
    .describe(
      'The objects and their results as a Markdown table, for the template output',
    ),
  objects: z
    .array(objectSchema)
    .describe(
      'Every object of the pipeline and what happened to it (in dry run: what would happen), in the order it was done',
    ),
});

type Outcome = z.infer<typeof objectSchema>;

/** An output topic of the pipeline, with the catalog entities that read it. */
interface OutputTopic {
  cluster: string;
  topic: string;
  readers: string[];
  environment?: string;
}

/**
 * Where the pipeline runs: once, or once per environment of its spec (the
 * environment's Kubernetes cluster and namespace, its summary with its
 * prefixes and Kafka cluster).
 */
interface Place {
  environment?: string;
  cluster: string;
  namespace?: string;
  summary?: PipelineSummary;
}

/**
 * `streaming:pipeline:decommission`: retires a pipeline. For a pipeline the
 * user running the task owns, and only after a typed confirmation of its
 * name, it deletes its SparkApplication, maintenance ScheduledSparkApplication
 * and PrometheusRule (only objects whose owner-entity annotation names the
 * pipeline, in namespaces the apply policy allows), optionally its output
 * topics (refused for a topic another entity reads) and its checkpoint
 * (only under `streaming.scaffolder.decommission.checkpointRoots`), keeps its
 * Delta tables, and unregisters its catalog location. A pipeline whose
 * spec declares environments (its summary annotation lists them) is retired
 * in every one: each environment's objects in its own namespace and
 * Kubernetes cluster, its topics (with its topic prefix and Kafka cluster)
 * and its checkpoint (with its table prefix); each object names its
 * environment. Every check runs before the first deletion; dry run reports
 * the plan and changes nothing.
 *
 * @public
 */
export function createPipelineDecommissionAction(options: {
  applier: KubernetesApplier;
  kafkaAdmins: KafkaAdmins;
  catalog: CatalogService;
  /** Folders a checkpoint may be deleted under (absolute). */
  checkpointRoots: string[];
}) {
  const { applier, kafkaAdmins, catalog, checkpointRoots } = options;
  return createTemplateAction({
    id: 'streaming:pipeline:decommission',
    description:
      "Decommissions a pipeline after a typed confirmation of its name: deletes its SparkApplication, maintenance ScheduledSparkApplication and PrometheusRule (only objects carrying its owner-entity annotation), optionally its output Kafka topics (refused for a topic another pipeline reads) and its checkpoint, keeps its Delta tables, and unregisters its catalog location. A pipeline whose spec declares environments is retired in every one: each environment's objects in its namespace and Kubernetes cluster, its topics with its prefix and Kafka cluster, its checkpoint. Dry run lists what would happen and changes nothing.",
    examples,
    supportsDryRun: true,
    schema: {
      input: () => inputSchema,
      output: () => outputSchema,
    },
    async handler(ctx) {
      const input = parseActionInput(inputSchema, ctx.input);
      const dryRun = Boolean(ctx.isDryRun);
      const entityRef = stringifyEntityRef(parseEntityRef(input.entityRef));
      const credentials = await ctx.getInitiatorCredentials();
      const entity = await catalog.getEntityByRef(entityRef, { credentials });
      const name = entity?.metadata.name ?? parseEntityRef(entityRef).name;
      if (input.confirmation !== name) {
        throw new InputError(
          `confirmation: type the pipeline's name "${name}" to decommission it; nothing was changed`,
        );
      }
      const done = (outcome: Outcome) => {
        ctx.logger.info(
          `${outcome.type} ${outcome.name}: ${outcome.result}${
            outcome.detail ? ` (${outcome.detail})` : ''
          }`,
        );
        return outcome;
      };

      if (!entity) {
        // Already unregistered: report what is left, delete nothing (no
        // entity, no owner to check).
        const left = input.cluster
          ? await applier.listOwned(input.cluster, input.namespace, entityRef)
          : [];
        if (left.length > 0) {
          throw new NotFoundError(
            `${entityRef} is not in the catalog but ${left
              .map(o => `${o.kind} ${o.namespace}/${o.name}`)
              .join(
                ', ',
              )} still carry its owner annotation; they are not deleted without an owner check`,
          );
        }
        ctx.logger.info(`${entityRef} is not in the catalog: nothing left`);
        ctx.output('dryRun', dryRun);
        ctx.output('summary', `Nothing of ${entityRef} is left.`);
        ctx.output('objects', []);
        return;
      }

      // Every check before the first change.
      assertIsPipeline(entity);
      await assertOwnsEntity({
        catalog,
        credentials,
        entityRef,
        user: ctx.user,
        refused: 'it is not decommissioned',
      });
      const annotations = entity.metadata.annotations ?? {};
      // `namespace/name`, or only a name (then the cluster's default namespace).
      const [first, second] = (
        annotations[ANNOTATION_SPARK_APPLICATION]?.trim() ?? ''
      ).split('/', 2);
      const namespace = input.namespace ?? (second ? first : undefined);
      const summary = readPipelineSummary(entity);
      const environments = summary?.environments ?? [];
      // Each environment in its own namespace and its cluster (else the
      // pipeline's), in promotion order; without environments, one place.
      const places: Place[] =
        environments.length > 0
          ? environments.map(env => ({
              environment: env.name,
              cluster:
                env.kubernetesCluster ?? pipelineCluster(entity, input.cluster),
              namespace: env.namespace,
              summary: env.summary,
            }))
          : [
              {
                cluster: pipelineCluster(entity, input.cluster),
                namespace,
                summary,
              },
            ];

      // Every place's objects; a namespace two environments share is listed once.
      const listed = new Set<string>();
      const owned: Array<{ place: Place; objects: OwnedObject[] }> = [];
      for (const place of places) {
        const key = `${place.cluster}\n${
          place.namespace ?? applier.defaultNamespace(place.cluster)
        }`;
        const objects = listed.has(key)
          ? []
          : await applier.listOwned(place.cluster, place.namespace, entityRef);
        listed.add(key);
        owned.push({ place, objects });
      }
      let topics: OutputTopic[] = [];
      if (input.deleteTopics) {
        topics =
          environments.length > 0
            ? await environmentTopics(entity, entityRef, places, credentials)
            : await outputTopics(entity, entityRef, credentials);
      }
      const readBy = topics.filter(t => t.readers.length > 0);
      if (readBy.length > 0) {
        throw new NotAllowedError(
          `Kafka topics other pipelines read are not deleted: ${readBy
            .map(
              t =>
                `${t.topic} (${
                  t.environment ? `${t.environment}; ` : ''
                }read by ${t.readers.join(', ')})`,
            )
            .join(
              '; ',
            )}; nothing was changed (run again without deleteTopics to keep the topics)`,
        );
      }
      for (const topic of topics) kafkaAdmins.assertCluster(topic.cluster);

      const objects: Outcome[] = [];
      const step = async (key: string, fn: () => Promise<Outcome>) =>
        objects.push(
          done(
            dryRun
              ? await fn()
              : await ctx.checkpoint({
                  key: `streaming.decommission.${entityRef}.${key}`,
                  fn: async () => ({ ...(await fn()) }),
                }),
          ),
        );

      const checkpoints = new Set<string>();
      for (const { place, objects: placeObjects } of owned) {
        const { environment, cluster } = place;
        const inPlace = (outcome: Outcome): Outcome =>
          environment ? { environment, ...outcome } : outcome;
        // Keys without an environment are those of runs before environments.
        const at = environment ? `${environment}.` : '';
        for (const object of placeObjects) {
          ctx.signal?.throwIfAborted();
          await step(
            `${at}${object.kind}.${object.namespace}.${object.name}`,
            async () =>
              inPlace(await deleteObject(applier, cluster, object, dryRun)),
          );
        }
        for (const topic of topics.filter(t => t.environment === environment)) {
          ctx.signal?.throwIfAborted();
          await step(`${at}topic.${topic.cluster}.${topic.topic}`, async () =>
            inPlace(await deleteTopic(kafkaAdmins, topic, dryRun)),
          );
        }
        const placeSummary = place.summary;
        if (placeSummary?.checkpoint) {
          // Two environments may share one (no table prefix): deleted once.
          if (!checkpoints.has(placeSummary.checkpoint)) {
            checkpoints.add(placeSummary.checkpoint);
            await step(`${at}checkpoint`, async () =>
              inPlace(
                await deleteCheckpoint(
                  placeSummary.checkpoint,
                  input.deleteCheckpoint,
                  checkpointRoots,
                  dryRun,
                ),
              ),
            );
          }
        } else if (!placeSummary) {
          objects.push(
            done({
              type: 'Checkpoint',
              name: 'unknown',
              result: 'kept',
              detail: `the pipeline's ${ANNOTATION_PIPELINE_SUMMARY} annotation is missing or unreadable, so its checkpoint is unknown; find and delete it by hand`,
            }),
          );
        }
        if (placeSummary?.sink.type === 'delta' && placeSummary.sink.path) {
          objects.push(
            done(
              inPlace({
                type: 'DeltaTable',
                name: placeSummary.sink.path,
                result: 'kept',
                detail: 'tables are kept; archive or drop them by hand',
              }),
            ),
          );
        }
      }
      await step('location', () =>
        unregister(catalog, entityRef, credentials, dryRun),
      );
      ctx.output('dryRun', dryRun);
      ctx.output('summary', markdownTable(objects, dryRun));
      ctx.output('objects', objects);
    },
  });

  /** The pipeline's outputs in the catalog that are Kafka topics, with their other readers. */
  async function outputTopics(
    entity: Entity,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<OutputTopic[]> {
    const refs = (entity.relations ?? [])
      .filter(
        r =>
          r.type === RELATION_DEPENDENCY_OF &&
          r.targetRef.startsWith('resource:'),
      )
      .map(r => r.targetRef);
    if (refs.length === 0) return [];
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials },
    );
    const topics: OutputTopic[] = [];
    for (const resource of items) {
      if (!resource || resource.spec?.type !== 'kafka-topic') continue;
      const ref = stringifyEntityRef(resource);
      const topic = resource.metadata.annotations?.[ANNOTATION_KAFKA_TOPIC];
      const cluster = resource.metadata.annotations?.[ANNOTATION_KAFKA_CLUSTER];
      if (!topic || !cluster || !TOPIC_NAME.test(topic)) {
        throw new InputError(
          `${ref} names no valid Kafka topic and cluster (${ANNOTATION_KAFKA_TOPIC}, ${ANNOTATION_KAFKA_CLUSTER}); nothing was changed`,
        );
      }
      topics.push({
        cluster,
        topic,
        readers: (resource.relations ?? [])
          .filter(
            r => r.type === RELATION_DEPENDENCY_OF && r.targetRef !== entityRef,
          )
          .map(r => r.targetRef),
      });
    }
    return topics;
  }

  /**
   * Each environment's Kafka topics the pipeline writes (its sink and
   * dead-letter topics, with the environment's topic prefix and Kafka
   * cluster, from the summary annotation), with the catalog entities
   * other than the pipeline that read them. A topic two environments share
   * is the first one's.
   */
  async function environmentTopics(
    entity: Entity,
    entityRef: string,
    places: Place[],
    credentials: BackstageCredentials,
  ): Promise<OutputTopic[]> {
    const ownCluster =
      entity.metadata.annotations?.[ANNOTATION_KAFKA_CLUSTER]?.trim() ||
      undefined;
    const topics: OutputTopic[] = [];
    for (const { environment, summary } of places) {
      if (!summary) continue;
      const sourceCluster = summary.source.cluster ?? ownCluster;
      const written: Array<{ topic: string; cluster?: string }> = [];
      if (summary.sink.type === 'kafka' && summary.sink.topic) {
        written.push({
          topic: summary.sink.topic,
          cluster: summary.sink.cluster ?? sourceCluster,
        });
      }
      if (summary.deadLetter?.type === 'kafka' && summary.deadLetter.topic) {
        written.push({
          topic: summary.deadLetter.topic,
          cluster: sourceCluster,
        });
      }
      for (const { topic, cluster: known } of written) {
        if (!TOPIC_NAME.test(topic)) {
          throw new InputError(
            `environment ${environment}: ${JSON.stringify(
              topic,
            )} is not a Kafka topic name; nothing was changed`,
          );
        }
        // The topic's Resources in the catalog (on its cluster, when known).
        const { items } = await catalog.getEntities(
          {
            filter: {
              kind: 'Resource',
              'spec.type': 'kafka-topic',
              [`metadata.annotations.${ANNOTATION_KAFKA_TOPIC}`]: topic,
            },
          },
          { credentials },
        );
        const resources = items.filter(
          r =>
            !known ||
            r.metadata.annotations?.[ANNOTATION_KAFKA_CLUSTER] === known,
        );
        const clusters = [
          ...new Set(
            resources.map(
              r => r.metadata.annotations?.[ANNOTATION_KAFKA_CLUSTER],
            ),
          ),
        ];
        const cluster =
          known ?? (clusters.length === 1 ? clusters[0] : undefined);
        if (!cluster) {
          throw new InputError(
            `environment ${environment}: the Kafka cluster of topic ${topic} is unknown (the summary names none, and ${entityRef} has no ${ANNOTATION_KAFKA_CLUSTER} annotation); nothing was changed (run again without deleteTopics to keep the topics)`,
          );
        }
        if (topics.some(t => t.cluster === cluster && t.topic === topic)) {
          continue;
        }
        topics.push({
          environment,
          cluster,
          topic,
          readers: [
            ...new Set(
              resources.flatMap(r =>
                (r.relations ?? [])
                  .filter(
                    rel =>
                      rel.type === RELATION_DEPENDENCY_OF &&
                      rel.targetRef !== entityRef,
                  )
                  .map(rel => rel.targetRef),
              ),
            ),
          ],
        });
      }
    }
    return topics;
  }
}

/** `objects` as a Markdown table (cells escaped: names come from the catalog). */
function markdownTable(objects: Outcome[], dryRun: boolean): string {
  const cell = (text: string) => text.replace(/[\\|`*_<>[\]]/g, c => `\\${c}`);
  // With environments, a first column names each object's.
  const withEnvironment = objects.some(o => o.environment);
  const head = withEnvironment ? '| Environment ' : '';
  return [
    dryRun ? 'Dry run: nothing was changed.' : '',
    `${head}| Object | Name | Result |`,
    `${withEnvironment ? '| --- ' : ''}| --- | --- | --- |`,
    ...objects.map(
      o =>
        `${withEnvironment ? `| ${cell(o.environment ?? '')} ` : ''}| ${
          o.type
        } | ${cell(o.name)} | ${o.result}${
          o.detail ? ` (${cell(o.detail)})` : ''
        } |`,
    ),
  ]
    .filter(Boolean)
    .join('\n');
}

async function deleteObject(
  applier: KubernetesApplier,
  cluster: string,
  object: OwnedObject,
  dryRun: boolean,
): Promise<Outcome> {
  const base = {
    type: object.kind,
    name: `${object.namespace}/${object.name}`,
  };
  if ((await applier.delete(cluster, object, { dryRun })) === 'gone') {
    return { ...base, result: 'gone' };
  }
  return { ...base, result: dryRun ? 'would delete' : 'deleted' };
}

async function deleteTopic(
  kafkaAdmins: KafkaAdmins,
  topic: OutputTopic,
  dryRun: boolean,
): Promise<Outcome> {
  const admin = await kafkaAdmins.get(topic.cluster);
  const base = { type: 'KafkaTopic', name: `${topic.cluster}/${topic.topic}` };
  if (!(await admin.listTopics()).includes(topic.topic)) {
    return { ...base, result: 'gone' };
  }
  if (dryRun) return { ...base, result: 'would delete' };
  await admin.deleteTopics({ topics: [topic.topic] });
  return { ...base, result: 'deleted' };
}

/**
 * Deletes the checkpoint folder when asked and it lies under one of the
 * roots (a local path or `file:` URL; symbolic links that leave the root
 * are refused); anything else is kept and the reason reported.
 */
async function deleteCheckpoint(
  checkpoint: string,
  asked: boolean,
  roots: string[],
  dryRun: boolean,
): Promise<Outcome> {
  const base = { type: 'Checkpoint', name: checkpoint };
  if (!asked) return { ...base, result: 'kept', detail: 'not asked to delete' };
  const local = checkpoint.startsWith('file:')
    ? new URL(checkpoint).pathname
    : checkpoint;
  const inside = path.isAbsolute(local)
    ? roots
        .map(root => {
          try {
            return resolveSafeChildPath(root, path.relative(root, local));
          } catch {
            return undefined;
          }
        })
        .find(
          (resolved, i) =>
            resolved !== undefined && resolved !== path.resolve(roots[i]),
        )
    : undefined;
  if (!inside) {
    return {
      ...base,
      result: 'kept',
      detail:
        'not under streaming.scaffolder.decommission.checkpointRoots; delete it by hand',
    };
  }
  if (!fs.existsSync(inside)) return { ...base, result: 'gone' };
  if (dryRun) return { ...base, result: 'would delete' };
  await fs.promises.rm(inside, { recursive: true, force: true });
  return { ...base, result: 'deleted' };
}

async function unregister(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
  dryRun: boolean,
): Promise<Outcome> {
  const location = await catalog.getLocationByEntity(entityRef, {
    credentials,
  });
  if (!location) {
    return { type: 'CatalogLocation', name: entityRef, result: 'gone' };
  }
  const base = {
    type: 'CatalogLocation',
    name: `${location.type}:${location.target}`,
  };
  if (dryRun) return { ...base, result: 'would unregister' };
  await catalog.removeLocationById(location.id, { credentials });
  return { ...base, result: 'unregistered' };
}
