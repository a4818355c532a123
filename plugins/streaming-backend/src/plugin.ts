import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createRouter } from './router';

/**
 * The `streaming` backend plugin: micro-batch metrics, consumer lag, status,
 * cost and the overview of all streaming pipelines.
 *
 * @public
 */
export const streamingPlugin = createBackendPlugin({
  pluginId: 'streaming',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ httpRouter, logger }) {
        httpRouter.use(await createRouter({ logger }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
