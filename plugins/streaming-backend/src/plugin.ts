import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { streamingPermissions } from '@internal/plugin-streaming-common';
import {
  CostSource,
  OffsetSource,
  SparkApplicationNamespaces,
  StatusSource,
  streamingSourcesExtensionPoint,
} from '@internal/plugin-streaming-node';
import { readStreamingConfig } from './config/StreamingConfig';
import { createAlertRelayRouter } from './alertRelayRouter';
import { createRouter } from './router';
import { AlertmanagerRouting } from './services/Alerts/AlertmanagerRouting';
import { TeamsRelay } from './services/Alerts/TeamsRelay';
import { AlertService } from './services/Alerts/AlertService';
import { ConnectorService } from './services/Connectors/ConnectorService';
import { CostService } from './services/Cost/CostService';
import { EnvironmentService } from './services/Environments/EnvironmentService';
import { OpenCostSource } from './services/Cost/OpenCostSource';
import { RatesCostSource } from './services/Cost/RatesCostSource';
import { readTaskSchedule, scheduleIntervalMs } from './lib/readTaskSchedule';
import { DeltaPathMapping } from './services/DeltaTables/DeltaPathMapping';
import { DeltaTableReader } from './services/DeltaTables/DeltaTableReader';
import { DriftService } from './services/Drift/DriftService';
import { KafkaClusterClients } from './services/KafkaOffsets/KafkaClusterClients';
import { KafkaOffsetsPoller } from './services/KafkaOffsets/KafkaOffsetsPoller';
import { OffsetsSnapshotStore } from './services/KafkaOffsets/OffsetsSnapshotStore';
import { SharedOffsetSource } from './services/KafkaOffsets/SharedOffsetSource';
import { TopicService } from './services/KafkaOffsets/TopicService';
import { PipelineMetrics } from './services/Metrics/PipelineMetrics';
import { LagService } from './services/Lag/LagService';
import { OperationsStore } from './services/Operations/OperationsStore';
import { PipelineOperations } from './services/Operations/PipelineOperations';
import { OverviewService } from './services/Overview/OverviewService';
import { PipelineCatalog } from './services/Pipelines/PipelineCatalog';
import { ProgressIngestor } from './services/ProgressIngestor/ProgressIngestor';
import { SchemaService } from './services/Schemas/SchemaService';
import { SearchIndexService } from './services/SearchIndices/SearchIndexService';
import { DatabaseProgressStore } from './services/ProgressStore/DatabaseProgressStore';
import { KubernetesStatusSource } from './services/Status/KubernetesStatusSource';
import { StatusService } from './services/Status/StatusService';
import { TeamsService } from './services/Teams/TeamsService';

/**
 * The `streaming` backend plugin: micro-batch metrics, consumer lag, status,
 * cost and the overview of all streaming pipelines.
 *
 * @public
 */
export const streamingPlugin = createBackendPlugin({
  pluginId: 'streaming',
  register(env) {
    const sources: {
      offset?: OffsetSource;
      status?: StatusSource;
      cost?: CostSource;
    } = {};
    // One module per kind, as the Kubernetes backend does for its suppliers:
    // a second one would silently replace the first.
    const setOnce =
      <K extends keyof typeof sources>(kind: K, method: string) =>
      (source: NonNullable<(typeof sources)[K]>) => {
        if (sources[kind]) {
          throw new Error(
            `Multiple streaming ${kind} sources registered: only one module may call ${method}`,
          );
        }
        sources[kind] = source;
      };
    env.registerExtensionPoint(streamingSourcesExtensionPoint, {
      setOffsetSource: setOnce('offset', 'setOffsetSource'),
      setStatusSource: setOnce('status', 'setStatusSource'),
      setCostSource: setOnce('cost', 'setCostSource'),
    });

    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        urlReader: coreServices.urlReader,
        catalogService: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
        metrics: metricsServiceRef,
      },
      async init(deps) {
        const { logger, scheduler, lifecycle } = deps;
        const config = readStreamingConfig(deps.config, logger);
        deps.permissionsRegistry.addPermissions(streamingPermissions);

        const store = await DatabaseProgressStore.create({
          database: deps.database,
        });
        // One client per Kafka cluster, shared by the poller and the sampler.
        const kafkaClients = new KafkaClusterClients(config.kafka.clusters);
        const poller = sources.offset
          ? undefined
          : new KafkaOffsetsPoller(config, logger, kafkaClients);
        const sharedOffsets =
          poller &&
          new SharedOffsetSource(
            config,
            poller,
            new OffsetsSnapshotStore(store.client),
            logger,
          );
        const offsets = sources.offset ?? sharedOffsets!;
        const catalog = new PipelineCatalog(deps.catalogService, deps.auth, {
          cacheTtlMs: config.catalog.cacheTtlMs,
          limits: config.lag,
          pageSize: config.catalog.pageSize,
        });
        const lag = new LagService(config, offsets, store);
        const status = new StatusService(
          config,
          sources.status ??
            new KubernetesStatusSource(
              config,
              SparkApplicationNamespaces.fromConfig(deps.config),
              logger,
            ),
          lag,
        );
        const rates = new RatesCostSource(config);
        const cost = new CostService(
          config,
          sources.cost ??
            (config.cost.opencost
              ? new OpenCostSource(config.cost.opencost, rates)
              : rates),
          store,
        );
        const overview = new OverviewService(
          config,
          catalog,
          store,
          status,
          cost,
          logger,
        );
        const alertRouting = AlertmanagerRouting.fromConfig(
          deps.config,
          logger,
        );
        const alerts = new AlertService(
          store.client,
          logger,
          config.alerts.notify ? deps.notifications : undefined,
          deps.signals,
        );
        const ingestor = new ProgressIngestor(
          config,
          store,
          logger,
          queryNames => lag.forgetAnswers(queryNames),
        );

        // Ends a running offsets poll on shutdown, so that the scheduler
        // releases the task while the database is still open.
        const stopping = new AbortController();
        lifecycle.addStartupHook(() => ingestor.start());
        lifecycle.addShutdownHook(async () => {
          stopping.abort();
          await ingestor.stop();
          await kafkaClients.close();
        });

        // A task that cannot read the catalog this time warns and waits for
        // its next run.
        const readPipelinesOrWarn = <T>(read: () => Promise<T>) =>
          read().catch(error => {
            logger.warn('Could not read the pipelines', {
              error: (error as Error).message,
            });
            return undefined;
          });
        const listPipelines = () =>
          readPipelinesOrWarn(
            async () => (await catalog.listPipelines()).pipelines,
          );
        if (sharedOffsets) {
          // Once across replicas: the holder of the task polls the broker
          // and stores the snapshot every replica answers from. A poll ends
          // at the timeout (one interval) or at shutdown, releasing the task
          // to another replica; a killed replica holds it until the timeout
          // passes and the scheduler's janitor (once a minute) frees it.
          await scheduler.scheduleTask({
            id: 'streaming-offsets-poll',
            scope: 'global',
            frequency: { milliseconds: config.lag.pollIntervalMs },
            timeout: { milliseconds: config.lag.pollIntervalMs },
            // Poll what the catalog's pipelines use; the rest expires.
            fn: async signal => {
              try {
                await sharedOffsets.poll(
                  await listPipelines(),
                  AbortSignal.any([signal, stopping.signal]),
                );
              } catch (error) {
                if (stopping.signal.aborted) return;
                if (!signal.aborted) throw error;
                // The scheduler's timeout: say what it means, not "aborted".
                logger.warn(
                  `The offsets poll did not finish within its interval (streaming.lag.pollInterval, ${
                    config.lag.pollIntervalMs / 1000
                  } s) and was given up; lag stays as of the last finished poll. If this repeats, the broker answers too slowly for the interval: raise it.`,
                );
              }
            },
          });
        }
        // Each replica keeps lag answers and histories of current pipelines
        // only. It needs their references alone: every replica runs this, so
        // it reads no entity bodies (the poll above reads those, once).
        await scheduler.scheduleTask({
          id: 'streaming-lag-retain',
          scope: 'local',
          frequency: { milliseconds: config.lag.pollIntervalMs },
          timeout: { milliseconds: config.lag.pollIntervalMs },
          fn: async () => {
            const refs = await readPipelinesOrWarn(async () =>
              catalog.listPipelineRefs(
                await deps.auth.getOwnServiceCredentials(),
              ),
            );
            if (refs) {
              lag.retainPipelines(refs);
            }
          },
        });
        // Run once across replicas (global), on the configured schedule.
        const alertsSchedule = readTaskSchedule(
          deps.config,
          'streaming.alerts.schedule',
          {
            frequency: { milliseconds: config.alerts.evaluateIntervalMs },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 5 },
          },
        );
        const pipelineMetrics = new PipelineMetrics(
          deps.metrics,
          (scheduleIntervalMs(alertsSchedule) ??
            config.alerts.evaluateIntervalMs) * 3,
          () => ingestor.stats,
        );
        await scheduler.scheduleTask({
          ...alertsSchedule,
          id: 'streaming-alerts-evaluate',
          scope: 'global',
          fn: async () => {
            const { entries, laterEnvironments } = await overview.refresh();
            // Every environment's series (for its generated alert rules)
            // and health transitions.
            pipelineMetrics.update([...entries.values(), ...laterEnvironments]);
            await alertRouting.write(
              [...entries.values()].map(e => e.pipeline),
            );
            await alerts.record([
              ...entries.values(),
              ...laterEnvironments.map(entry => ({
                ...entry,
                environment: entry.pipeline.summary.environment,
              })),
            ]);
          },
        });
        await scheduler.scheduleTask({
          ...readTaskSchedule(
            deps.config,
            'streaming.retention.schedule',
            { frequency: { minutes: 10 }, timeout: { minutes: 10 } },
            {
              key: {
                key: 'streaming.retention.cleanupIntervalMinutes',
                unit: 'minutes',
              },
              logger,
            },
          ),
          id: 'streaming-progress-retention',
          scope: 'global',
          fn: async () => {
            const deleted = await store.prune({
              olderThan: new Date(Date.now() - config.retention.maxAgeMs),
              maxPerQuery: config.retention.maxBatchesPerPipeline,
            });
            logger.info('Micro-batch history', {
              deleted,
              ...ingestor.stats,
            });
          },
        });

        deps.httpRouter.use(
          await createRouter({
            logger,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            catalog,
            store,
            lag,
            status,
            cost,
            environments: new EnvironmentService(store, status, cost),
            overview,
            teams: TeamsService.fromConfig(deps.config, overview),
            topics: new TopicService(config, offsets),
            metrics: config.metrics,
            overviewLimits: config.overview,
            operations: new PipelineOperations(
              config,
              SparkApplicationNamespaces.fromConfig(deps.config),
              new OperationsStore(store.client),
              logger,
            ),
            schemas: SchemaService.fromConfig(
              deps.config,
              config,
              logger,
              kafkaClients,
            ),
            connectors: ConnectorService.fromConfig(deps.config, logger),
            drift: DriftService.fromConfig(deps.config, deps.urlReader, logger),
            searchIndices: SearchIndexService.fromConfig(deps.config, logger),
            deltaTables: new DeltaTableReader(
              config.delta.allowedRoots,
              new DeltaPathMapping(config.delta.pathMappings, process.cwd()),
              config.delta,
            ),
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        if (alertRouting.config.teamsRelay) {
          // Alertmanager has no Backstage token: the relay checks its own.
          deps.httpRouter.use(
            createAlertRelayRouter(new TeamsRelay(alertRouting.config, logger)),
          );
          deps.httpRouter.addAuthPolicy({
            path: '/alerts/teams',
            allow: 'unauthenticated',
          });
        }
      },
    });
  },
});
