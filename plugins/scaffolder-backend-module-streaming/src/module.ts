import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderTemplatingExtensionPoint } from '@backstage/plugin-scaffolder-node/alpha';
import {
  KafkaConnectClusters,
  SchemaRegistries,
} from '@internal/plugin-streaming-node';
import { createBranchCommitAction } from './actions/branchCommit';
import { createKafkaConnectorCreateAction } from './actions/kafkaConnectorCreate';
import { createKafkaTopicCreateAction } from './actions/kafkaTopicCreate';
import { createPipelineBackfillAction } from './actions/pipelineBackfill';
import { createPipelineDecommissionAction } from './actions/pipelineDecommission';
import { createPipelineFetchAction } from './actions/pipelineFetch';
import { createPipelinePromoteAction } from './actions/pipelinePromote';
import { createPipelineRenderAction } from './actions/pipelineRender';
import { createPipelineValidateAction } from './actions/pipelineValidate';
import { createPublishLocalAction } from './actions/publishLocal';
import { createSparkApplicationApplyAction } from './actions/sparkApplicationApply';
import { readBackfillTimeToLive } from './config/readBackfillTimeToLive';
import { readCheckpointRoots } from './config/readCheckpointRoots';
import { readLocalPublishBaseDir } from './config/readLocalPublishBaseDir';
import { TopicLimits } from './kafka/TopicLimits';
import { KafkaAdmins } from './services/KafkaAdmins/KafkaAdmins';
import { KubernetesApplier } from './services/KubernetesApplier/KubernetesApplier';
import { pipelineEnvironmentsFilter } from './templating/pipelineEnvironmentsFilter';

/**
 * Scaffolder module with the streaming platform's actions and its template
 * filter `pipelineEnvironments` (the creating templates' Environments field
 * as the spec's environments).
 *
 * @public
 */
export const scaffolderModuleStreaming = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'streaming',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        templating: scaffolderTemplatingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        reader: coreServices.urlReader,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({
        scaffolder,
        templating,
        config,
        logger,
        lifecycle,
        catalog,
        reader,
        discovery,
        auth,
      }) {
        const kafkaAdmins = KafkaAdmins.fromConfig(config, { logger });
        lifecycle.addShutdownHook(() => kafkaAdmins.close());
        const applier = KubernetesApplier.fromConfig(config);
        const integrations = ScmIntegrations.fromConfig(config);
        const localBaseDir = readLocalPublishBaseDir(config);
        const schemaRegistries = SchemaRegistries.fromConfig(config);
        scaffolder.addActions(
          createPipelineValidateAction({
            kafkaClusters: kafkaAdmins.clusterNames(),
            schemaRegistries,
          }),
          createPipelineRenderAction({
            integrations: ScmIntegrations.fromConfig(config),
            schemaRegistries,
          }),
          createPipelineFetchAction({
            reader,
            integrations,
            catalog,
            localBaseDir,
          }),
          createKafkaTopicCreateAction({
            kafkaAdmins,
            topicLimits: TopicLimits.fromConfig(config),
          }),
          createKafkaConnectorCreateAction({
            connectClusters: KafkaConnectClusters.fromConfig(config, {
              logger,
            }),
          }),
          createSparkApplicationApplyAction({ applier, catalog }),
          createPipelineDecommissionAction({
            applier,
            kafkaAdmins,
            catalog,
            checkpointRoots: readCheckpointRoots(config),
          }),
          createPipelineBackfillAction({
            applier,
            catalog,
            kafkaAdmins,
            timeToLiveSeconds: readBackfillTimeToLive(config, logger),
          }),
          createPipelinePromoteAction({
            applier,
            catalog,
            reader,
            discovery,
            auth,
          }),
          createPublishLocalAction({ baseDir: localBaseDir }),
          createBranchCommitAction({ baseDir: localBaseDir }),
        );
        templating.addTemplateFilters([pipelineEnvironmentsFilter]);
      },
    });
  },
});
