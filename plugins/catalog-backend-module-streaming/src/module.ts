import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { StreamingPipelineProcessor } from './processor/StreamingPipelineProcessor';
import { KafkaConnectEntityProvider } from './providers/KafkaConnectEntityProvider';
import { SchemaRegistryEntityProvider } from './providers/SchemaRegistryEntityProvider';
import { SchemaSubjectProcessor } from './providers/SchemaSubjectProcessor';

/**
 * Catalog module that turns streaming pipeline entities into Kafka topics,
 * Delta tables, Elasticsearch indexes, CDC source tables and schemas, with
 * their lineage, and lists the subjects of the configured schema registries
 * as API entities linked to their topics and the pipelines that read them,
 * and the connectors of the configured Kafka Connect clusters (with the
 * database tables Debezium captures) linked to the topics they write.
 *
 * @public
 */
export const catalogModuleStreaming = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'streaming',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        reader: coreServices.urlReader,
        logger: coreServices.logger,
        cache: coreServices.cache,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        catalogService: catalogServiceRef,
      },
      async init({
        catalog,
        config,
        reader,
        logger,
        cache,
        scheduler,
        auth,
        catalogService,
      }) {
        catalog.addProcessor(
          StreamingPipelineProcessor.fromConfig(config, {
            reader,
            logger,
            cache,
          }),
        );
        catalog.addProcessor(
          SchemaSubjectProcessor.fromConfig(config, { logger }),
        );
        catalog.addEntityProvider(
          SchemaRegistryEntityProvider.fromConfig(config, {
            logger,
            scheduler,
            catalog: catalogService,
            auth,
          }),
        );
        catalog.addEntityProvider(
          KafkaConnectEntityProvider.fromConfig(config, { logger, scheduler }),
        );
      },
    });
  },
});
