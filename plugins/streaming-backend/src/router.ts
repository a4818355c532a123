import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
import {
  ANNOTATION_DELTA_PATH,
  ANNOTATION_ELASTICSEARCH_CLUSTER,
  ANNOTATION_ELASTICSEARCH_INDEX,
  ANNOTATION_ELASTICSEARCH_NODES,
  DeltaTableDetailsResponse,
  PipelineBackfillsResponse,
  PipelineMetricsResponse,
  streamingConnectorReadPermission,
  streamingCostReadPermission,
  streamingPipelineOperatePermission,
  streamingTopicListPermission,
} from '@internal/plugin-streaming-common';
import express from 'express';
import { createOpenApiRouter, GetPipelineMetrics } from './schema/openapi';
import { ConnectorService } from './services/Connectors/ConnectorService';
import { CostService } from './services/Cost/CostService';
import { DeltaTableReader } from './services/DeltaTables/DeltaTableReader';
import { DriftService } from './services/Drift/DriftService';
import { EnvironmentService } from './services/Environments/EnvironmentService';
import { TopicService } from './services/KafkaOffsets/TopicService';
import { LagService } from './services/Lag/LagService';
import {
  PipelineAction,
  PipelineOperations,
} from './services/Operations/PipelineOperations';
import { OverviewService } from './services/Overview/OverviewService';
import {
  parseRouteRef,
  PipelineCatalog,
} from './services/Pipelines/PipelineCatalog';
import { ProgressStore } from './services/ProgressStore/ProgressStore';
import { SchemaService } from './services/Schemas/SchemaService';
import { SearchIndexService } from './services/SearchIndices/SearchIndexService';
import { capBatchOffsets } from './services/ProgressStore/capBatchOffsets';
import { summarizeBatches } from './services/ProgressStore/summarizeBatches';
import { StatusService } from './services/Status/StatusService';
import { TeamsService } from './services/Teams/TeamsService';
import { sendSharedJson } from './sendSharedJson';

/** Options for {@link createRouter}. */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: PipelineCatalog;
  store: ProgressStore;
  lag: LagService;
  status: StatusService;
  cost: CostService;
  environments: EnvironmentService;
  overview: OverviewService;
  teams: TeamsService;
  topics: TopicService;
  deltaTables: DeltaTableReader;
  operations: PipelineOperations;
  schemas: SchemaService;
  searchIndices: SearchIndexService;
  connectors: ConnectorService;
  drift: DriftService;
  /** `streaming.metrics` of app-config. */
  metrics: { maxOffsetsPerAnswer: number };
  /** `streaming.overview` of app-config. */
  overviewLimits: { maxPageSize: number };
}

/** The `window` values of the metrics route (every one of openapi.yaml), in milliseconds. */
const windows = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
} as const satisfies Record<
  NonNullable<GetPipelineMetrics['query']['window']>,
  number
>;

/** A request of any route (each route types its own parameters and query). */
type RouteRequest = Parameters<HttpAuthService['credentials']>[0];

/**
 * The routes of `openapi.yaml`. The OpenAPI router checks every request
 * against the document (path parameters, query, no undeclared parameters)
 * and answers 400 naming the offending parameter before a handler runs.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, store } = options;
  const router = await createOpenApiRouter();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const credentialsOf = (req: RouteRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  async function pipelineOf(
    req: RouteRequest & { params: { namespace: string; name: string } },
  ) {
    const credentials = await credentialsOf(req);
    const { namespace, name } = req.params;
    const pipeline = await catalog.getPipeline(namespace, name, credentials);
    return { credentials, pipeline };
  }

  /** Whether the caller has the permission on each of the entities. */
  async function allowedOn(
    permission: ResourcePermission<'catalog-entity'>,
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<boolean[]> {
    if (entityRefs.length === 0) return [];
    const decisions = await permissions.authorize(
      entityRefs.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }

  const mayReadCost = (
    entityRefs: string[],
    credentials: BackstageCredentials,
  ) => allowedOn(streamingCostReadPermission, entityRefs, credentials);

  router.get('/pipelines/:namespace/:name/metrics', async (req, res) => {
    const { pipeline } = await pipelineOf(req);
    const { window = '1h', limit = 500 } = req.query;
    const now = Date.now();
    const batches = await store.listBatches(pipeline.summary.queryName, {
      since: new Date(now - windows[window]),
      limit,
    });
    const capped = capBatchOffsets(
      batches,
      options.metrics.maxOffsetsPerAnswer,
    );
    const body: PipelineMetricsResponse = {
      entityRef: pipeline.entityRef,
      batches: capped.batches,
      summary: summarizeBatches(batches, now),
      errors: capped.error ? [capped.error] : [],
    };
    res.json(body);
  });

  router.get('/pipelines/:namespace/:name/lag', async (req, res) => {
    const { pipeline } = await pipelineOf(req);
    await sendSharedJson(req, res, await options.lag.getLag(pipeline));
  });

  router.get('/pipelines/:namespace/:name/status', async (req, res) => {
    const { pipeline } = await pipelineOf(req);
    const latest = await store.latestBatches([pipeline.summary.queryName]);
    const state = await options.status.getState(
      pipeline,
      latest.get(pipeline.summary.queryName) ?? null,
    );
    res.json(state.status);
  });

  router.get('/pipelines/:namespace/:name/cost', async (req, res) => {
    const { pipeline, credentials } = await pipelineOf(req);
    const [allowed] = await mayReadCost([pipeline.entityRef], credentials);
    if (!allowed) {
      throw new NotAllowedError(
        `Not allowed to read the cost of ${pipeline.entityRef}`,
      );
    }
    const latest =
      (await store.latestBatches([pipeline.summary.queryName])).get(
        pipeline.summary.queryName,
      ) ?? null;
    const state = await options.status.getState(pipeline, latest);
    const cost = await options.cost.getCost(
      pipeline,
      state.application,
      latest,
      state.status.running,
    );
    res.json({
      ...cost,
      errors: [
        ...cost.errors,
        ...state.status.errors.filter(e => e.source.startsWith('kubernetes:')),
      ],
    });
  });

  router.get('/pipelines/:namespace/:name/environments', async (req, res) => {
    const { pipeline, credentials } = await pipelineOf(req);
    // Everyone who reads the pipeline sees its environments, as its status
    // and lag; their cost only with the permission /cost needs.
    const [costAllowed] = await mayReadCost([pipeline.entityRef], credentials);
    res.json(await options.environments.getEnvironments(pipeline, costAllowed));
  });

  /** Who operated: the user's entity ref, or the calling service's subject. */
  const actorOf = ({
    principal,
  }: BackstageCredentials<
    BackstageUserPrincipal | BackstageServicePrincipal
  >) =>
    principal.type === 'user' ? principal.userEntityRef : principal.subject;

  async function operate(
    req: RouteRequest & { params: { namespace: string; name: string } },
    action: PipelineAction,
  ) {
    const { pipeline, credentials } = await pipelineOf(req);
    const actor = actorOf(credentials);
    const [decision] = await permissions.authorize(
      [
        {
          permission: streamingPipelineOperatePermission,
          resourceRef: pipeline.entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      await options.operations.refuse(pipeline, action, actor);
      throw new NotAllowedError(
        `Not allowed to ${action} ${pipeline.entityRef} (${streamingPipelineOperatePermission.name})`,
      );
    }
    try {
      return await options.operations.run(pipeline, action, actor);
    } finally {
      // The page reads the status right after: not the answer cached before.
      options.status.forget(pipeline);
    }
  }

  router.post('/pipelines/:namespace/:name/pause', async (req, res) => {
    res.json(await operate(req, 'pause'));
  });

  router.post('/pipelines/:namespace/:name/resume', async (req, res) => {
    res.json(await operate(req, 'resume'));
  });

  router.post('/pipelines/:namespace/:name/restart', async (req, res) => {
    res.json(await operate(req, 'restart'));
  });

  router.get('/pipelines/:namespace/:name/schemas', async (req, res) => {
    const { pipeline } = await pipelineOf(req);
    res.json(await options.schemas.getPipelineSchemas(pipeline));
  });

  router.get('/pipelines/:namespace/:name/drift', async (req, res) => {
    const { pipeline } = await pipelineOf(req);
    res.json(await options.drift.getDrift(pipeline));
  });

  router.get('/pipelines/:namespace/:name/connectors', async (req, res) => {
    const { pipeline, credentials } = await pipelineOf(req);
    const [allowed] = await allowedOn(
      streamingConnectorReadPermission,
      [pipeline.entityRef],
      credentials,
    );
    if (!allowed) {
      throw new NotAllowedError(
        `Not allowed to read the connectors of ${pipeline.entityRef} (${streamingConnectorReadPermission.name})`,
      );
    }
    res.json(await options.connectors.getPipelineConnectors(pipeline));
  });

  router.get('/pipelines/:namespace/:name/operations', async (req, res) => {
    const { pipeline } = await pipelineOf(req);
    res.json({
      entityRef: pipeline.entityRef,
      operations: await options.operations.store.list(
        pipeline.entityRef,
        req.query.limit ?? 20,
      ),
    });
  });

  router.get('/pipelines/:namespace/:name/backfills', async (req, res) => {
    const { pipeline } = await pipelineOf(req);
    const { window = '24h', limit = 20 } = req.query;
    // The generated job publishes a backfill's progress as <query>-backfill-<id>.
    const prefix = `${pipeline.summary.queryName}-backfill-`;
    const totals = await store.totalsByPrefix(
      prefix,
      new Date(Date.now() - windows[window]),
      limit,
    );
    const body: PipelineBackfillsResponse = {
      entityRef: pipeline.entityRef,
      backfills: totals.map(t => ({
        id: t.queryName.slice(prefix.length),
        queryName: t.queryName,
        batches: t.batches,
        inputRows: t.inputRows,
        inputBytes: t.inputBytes,
        firstBatchAt: t.firstAt!,
        lastBatchAt: t.lastAt!,
      })),
    };
    res.json(body);
  });

  router.get('/cost/rates', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    // Allowed to read the cost of any pipeline: allowed to price a new one.
    const [decision] = await permissions.authorizeConditional(
      [{ permission: streamingCostReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError('Not allowed to read cost rates');
    }
    res.json(options.cost.rates());
  });

  router.get('/topics', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { cluster } = req.query;
    const [decision] = await permissions.authorize(
      [{ permission: streamingTopicListPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to list the topics of Kafka clusters (${streamingTopicListPermission.name})`,
      );
    }
    res.json(await options.topics.listTopics(cluster));
  });

  router.get('/topics/fields', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    // Who may start a software template may see what a topic's records hold,
    // as the Create form's topic picker may list the topics.
    const decisions = await permissions.authorize(
      [
        { permission: taskCreatePermission },
        { permission: streamingTopicListPermission },
      ],
      { credentials },
    );
    const denied = decisions.findIndex(d => d.result !== AuthorizeResult.ALLOW);
    if (denied >= 0) {
      throw new NotAllowedError(
        `Not allowed to read the records of Kafka topics (${
          [taskCreatePermission, streamingTopicListPermission][denied].name
        })`,
      );
    }
    res.json(
      await options.schemas.proposeFields(req.query.cluster, req.query.topic),
    );
  });

  router.get('/topics/:namespace/:name', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { namespace, name } = req.params;
    const topic = await catalog.getTopic(namespace, name, credentials);
    res.json(
      await options.topics.getTopic(
        topic.entityRef,
        topic.topic,
        topic.cluster,
      ),
    );
  });

  router.get('/tables/:namespace/:name', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { namespace, name } = req.params;
    const entityRef = parseRouteRef('resource', namespace, name);
    const entity = await catalog.getEntity(entityRef, credentials);
    const location = entity.metadata.annotations?.[ANNOTATION_DELTA_PATH];
    if (!location) {
      throw new NotFoundError(
        `${entityRef} has no ${ANNOTATION_DELTA_PATH} annotation`,
      );
    }
    const { facts, error } = await options.deltaTables.read(location);
    const body: DeltaTableDetailsResponse = {
      entityRef,
      location,
      ...facts,
      errors: error ? [{ source: 'delta', message: error }] : [],
    };
    res.json(body);
  });

  router.get('/indices/:namespace/:name', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { namespace, name } = req.params;
    const entityRef = parseRouteRef('resource', namespace, name);
    const entity = await catalog.getEntity(entityRef, credentials);
    const annotations = entity.metadata.annotations ?? {};
    const index = annotations[ANNOTATION_ELASTICSEARCH_INDEX];
    const cluster = annotations[ANNOTATION_ELASTICSEARCH_CLUSTER];
    const nodes = annotations[ANNOTATION_ELASTICSEARCH_NODES];
    if (!index || !(cluster || nodes)) {
      throw new NotFoundError(
        `${entityRef} needs the ${ANNOTATION_ELASTICSEARCH_INDEX} annotation and ${ANNOTATION_ELASTICSEARCH_CLUSTER} or ${ANNOTATION_ELASTICSEARCH_NODES}`,
      );
    }
    res.json(
      await options.searchIndices.getIndex(
        entityRef,
        index,
        cluster ? { cluster } : { nodes: nodes! },
      ),
    );
  });

  router.get('/search/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    // Whoever may list a Kafka cluster's topics in the Create form may pick
    // the search cluster a pipeline writes to.
    const [decision] = await permissions.authorize(
      [{ permission: streamingTopicListPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to list the search clusters (${streamingTopicListPermission.name})`,
      );
    }
    res.json(options.searchIndices.listClusters());
  });

  router.get('/teams', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(
      await options.teams.getTeams(credentials, refs =>
        mayReadCost(refs, credentials),
      ),
    );
  });

  router.get('/overview', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { offset = 0, limit, q, ...query } = req.query;
    const { maxPageSize } = options.overviewLimits;
    if (limit !== undefined && limit > maxPageSize) {
      throw new InputError(
        `Invalid query: limit: at most ${maxPageSize} pipelines a page (streaming.overview.maxPageSize)`,
      );
    }
    await sendSharedJson(
      req,
      res,
      await options.overview.getOverviewPage(
        credentials,
        refs => mayReadCost(refs, credentials),
        {
          ...query,
          offset,
          limit: limit ?? maxPageSize,
          q: q?.trim() || undefined,
        },
      ),
    );
  });

  return router;
}
