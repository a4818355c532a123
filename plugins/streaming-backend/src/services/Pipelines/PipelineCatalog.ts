import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KAFKA_CONSUMER_GROUPS,
  ANNOTATION_KAFKA_TOPIC,
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_PIPELINE_SUMMARY_LOCATION,
  ENTITY_TYPE_PIPELINE,
  environmentQueryName,
  formatZodIssues,
  parseConsumerGroups,
  PipelineSummary,
  pipelineSummarySchema,
} from '@internal/plugin-streaming-common';
import { PipelineEntity } from '@internal/plugin-streaming-node';
import { CallerCache } from './CallerCache';
import {
  annotatedSparkApplication,
  sparkApplicationInEnvironment,
} from './pipelineInEnvironment';

export type { PipelineEntity };

/** Entities per catalog read of `listPipelines` (the framework's default). */
const DEFAULT_PAGE_SIZE = 500;

const entityName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Checks `:namespace/:name` of a route. */
export function parseRouteRef(
  kind: string,
  namespace: string,
  name: string,
): string {
  if (!entityName.test(namespace) || !entityName.test(name)) {
    throw new InputError('namespace and name must be catalog entity names');
  }
  return stringifyEntityRef({ kind, namespace, name });
}

/**
 * Bounds on what one pipeline entity makes the backend read: the keys of
 * `streaming.lag` that also bound polling.
 */
export interface PipelineLimits {
  maxTopicsPerPipeline: number;
  maxGroupsPerPipeline: number;
}

/**
 * Reads the summary annotation, or explains why it is unusable. Only a
 * summary the catalog module wrote is served: the module drops any an author
 * writes and marks its own with the entity's location
 * ({@link ANNOTATION_PIPELINE_SUMMARY_LOCATION} equal to
 * `backstage.io/managed-by-location`, which the catalog sets); its query name
 * must be the entity's name, and its topics and the entity's consumer groups
 * are bounded by `limits`, when given.
 */
export function readPipelineEntity(
  entity: Entity,
  limits?: PipelineLimits,
): PipelineEntity {
  const entityRef = stringifyEntityRef(entity);
  const annotations = entity.metadata.annotations ?? {};
  const raw = annotations[ANNOTATION_PIPELINE_SUMMARY];
  const marker = annotations[ANNOTATION_PIPELINE_SUMMARY_LOCATION];
  if (!raw || !marker || marker !== annotations[ANNOTATION_LOCATION]) {
    throw new NotFoundError(
      `${entityRef} has no pipeline-summary written by the catalog module (${ANNOTATION_PIPELINE_SUMMARY} with ${ANNOTATION_PIPELINE_SUMMARY_LOCATION} equal to ${ANNOTATION_LOCATION})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new InputError(
      `${entityRef}: annotation ${ANNOTATION_PIPELINE_SUMMARY} is not JSON`,
    );
  }
  const parsed = pipelineSummarySchema.safeParse(json);
  if (!parsed.success) {
    throw new InputError(
      `${entityRef}: annotation ${ANNOTATION_PIPELINE_SUMMARY}: ${formatZodIssues(
        parsed.error.issues.slice(0, 1),
      )}`,
    );
  }
  const summary = parsed.data;
  // A pipeline reads only its own progress: its name, and in an environment
  // `<name>@<environment>`; the top-level facts are the first environment's.
  const pipelineName = entity.metadata.name;
  const checkNames = (facts: PipelineSummary, environment?: string) => {
    const expected = environment
      ? environmentQueryName(pipelineName, environment)
      : pipelineName;
    if (facts.name !== pipelineName || facts.queryName !== expected) {
      throw new InputError(
        `${entityRef}: query name "${
          facts.name !== pipelineName ? facts.name : facts.queryName
        }" is not the pipeline's name "${expected}"`,
      );
    }
  };
  const environments = summary.environments ?? [];
  checkNames(summary, environments[0]?.name);
  for (const environment of environments) {
    checkNames(environment.summary, environment.name);
  }
  const tooMany = (count: number, what: string, key: keyof PipelineLimits) => {
    if (limits && count > limits[key]) {
      throw new InputError(
        `${entityRef}: ${count} ${what}, more than streaming.lag.${key} (${limits[key]})`,
      );
    }
  };
  tooMany(
    summary.source.topics.length,
    'source topics',
    'maxTopicsPerPipeline',
  );
  const kafkaCluster =
    summary.source.cluster ?? annotations[ANNOTATION_KAFKA_CLUSTER];
  const groups = parseConsumerGroups(
    annotations[ANNOTATION_KAFKA_CONSUMER_GROUPS],
  );
  tooMany(groups.length, 'consumer groups', 'maxGroupsPerPipeline');
  for (const { cluster, group } of groups) {
    // Lag compares a group's offsets with the ends of the pipeline's topics.
    if (cluster !== undefined && cluster !== kafkaCluster) {
      throw new InputError(
        `${entityRef}: consumer group "${group}" of ${ANNOTATION_KAFKA_CONSUMER_GROUPS} is on Kafka cluster "${cluster}", not on the pipeline's "${kafkaCluster}"`,
      );
    }
  }
  // The top-level facts of a pipeline with environments are its first
  // environment's: so is the SparkApplication its routes read and operate.
  const firstEnvironment = summary.environments?.[0];
  const sparkApplication = firstEnvironment
    ? sparkApplicationInEnvironment(
        annotatedSparkApplication(entity),
        summary.name,
        firstEnvironment,
      )
    : annotatedSparkApplication(entity);
  return {
    entity,
    entityRef,
    revision: entity.metadata.etag ?? JSON.stringify(annotations),
    summary,
    kafkaCluster,
    consumerGroups: groups.map(g => g.group),
    sparkApplication,
  };
}

/**
 * Reads pipeline and topic entities through the catalog with the caller's
 * credentials, so a caller sees only what the catalog lets them read. What a
 * caller read is reused for `cacheTtlMs` (`streaming.catalog.cacheTtl`):
 * a change of the catalog or of the caller's permissions shows within that.
 */
export class PipelineCatalog {
  private readonly entities: CallerCache<Entity>;
  private readonly pipelineRefs: CallerCache<string[]>;
  private readonly pipelines = new WeakMap<Entity, PipelineEntity>();
  private readonly limits?: PipelineLimits;
  private readonly pageSize: number;

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    options: {
      cacheTtlMs: number;
      limits?: PipelineLimits;
      pageSize?: number;
    } = {
      cacheTtlMs: 0,
    },
  ) {
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.entities = new CallerCache(options.cacheTtlMs);
    this.pipelineRefs = new CallerCache(options.cacheTtlMs);
    this.limits = options.limits;
  }

  getEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    return this.entities.get(credentials, entityRef, async () => {
      const entity = await this.catalog.getEntityByRef(entityRef, {
        credentials,
      });
      if (!entity) {
        throw new NotFoundError(`No entity ${entityRef}`);
      }
      return entity;
    });
  }

  async getPipeline(
    namespace: string,
    name: string,
    credentials: BackstageCredentials,
  ): Promise<PipelineEntity> {
    const entity = await this.getEntity(
      parseRouteRef('component', namespace, name),
      credentials,
    );
    if (entity.spec?.type !== ENTITY_TYPE_PIPELINE) {
      throw new NotFoundError(
        `${stringifyEntityRef(entity)} is not a ${ENTITY_TYPE_PIPELINE}`,
      );
    }
    let pipeline = this.pipelines.get(entity);
    if (!pipeline) {
      pipeline = readPipelineEntity(entity, this.limits);
      this.pipelines.set(entity, pipeline);
    }
    return pipeline;
  }

  /**
   * Every pipeline the credentials may read (the backend's own credentials
   * for background work), read from the catalog in pages of `pageSize`
   * (`streaming.catalog.pageSize`). Entities with an unusable summary are
   * returned in `invalid`.
   */
  async listPipelines(credentials?: BackstageCredentials): Promise<{
    pipelines: PipelineEntity[];
    invalid: Array<{ entityRef: string; message: string }>;
  }> {
    const pipelines: PipelineEntity[] = [];
    const invalid: Array<{ entityRef: string; message: string }> = [];
    const pages = this.catalog.streamEntities(
      {
        filter: { kind: 'component', 'spec.type': ENTITY_TYPE_PIPELINE },
        pageSize: this.pageSize,
      },
      {
        credentials:
          credentials ?? (await this.auth.getOwnServiceCredentials()),
      },
    );
    for await (const page of pages) {
      for (const entity of page) {
        try {
          pipelines.push(readPipelineEntity(entity, this.limits));
        } catch (error) {
          invalid.push({
            entityRef: stringifyEntityRef(entity),
            message: (error as Error).message,
          });
        }
      }
      // The event loop turns after each page, even when the catalog answers
      // without I/O: reading thousands of entities is no single block.
      await nextTurn();
    }
    return { pipelines, invalid };
  }

  /**
   * References of the pipelines the credentials may read (a light query).
   * While cached, the same array is returned.
   */
  listPipelineRefs(credentials: BackstageCredentials): Promise<string[]> {
    return this.pipelineRefs.get(credentials, '', async () => {
      const { items } = await this.catalog.getEntities(
        {
          filter: { kind: 'component', 'spec.type': ENTITY_TYPE_PIPELINE },
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      );
      return items.map(entity => stringifyEntityRef(entity));
    });
  }

  /** The topic of a `kafka-topic` Resource, and its cluster. */
  async getTopic(
    namespace: string,
    name: string,
    credentials: BackstageCredentials,
  ): Promise<{ entityRef: string; topic: string; cluster?: string }> {
    const entityRef = parseRouteRef('resource', namespace, name);
    const entity = await this.getEntity(entityRef, credentials);
    const topic = entity.metadata.annotations?.[ANNOTATION_KAFKA_TOPIC];
    if (!topic) {
      throw new NotFoundError(
        `${entityRef} has no ${ANNOTATION_KAFKA_TOPIC} annotation`,
      );
    }
    return {
      entityRef,
      topic,
      cluster: entity.metadata.annotations?.[ANNOTATION_KAFKA_CLUSTER],
    };
  }
}
