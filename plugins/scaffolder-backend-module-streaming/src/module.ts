import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

/**
 * Scaffolder module with the streaming platform's actions.
 *
 * @public
 */
export const scaffolderModuleStreaming = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'streaming',
  register(reg) {
    reg.registerInit({
      deps: { logger: coreServices.logger },
      async init({ logger }) {
        logger.debug('streaming scaffolder module registered');
      },
    });
  },
});
