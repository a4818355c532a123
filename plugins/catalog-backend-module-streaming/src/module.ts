import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { StreamingPipelineProcessor } from './processor/StreamingPipelineProcessor';

/**
 * Catalog module that turns streaming pipeline entities into Kafka topics,
 * Delta tables, Elasticsearch indexes, CDC source tables and schemas, with
 * their lineage.
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
      },
      async init({ catalog, config, reader, logger, cache }) {
        catalog.addProcessor(
          StreamingPipelineProcessor.fromConfig(config, {
            reader,
            logger,
            cache,
          }),
        );
      },
    });
  },
});
