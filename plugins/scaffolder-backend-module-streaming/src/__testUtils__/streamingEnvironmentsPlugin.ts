import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One environment of a pipeline as the streaming backend reports it. */
export interface EnvironmentHealth {
  name: string;
  namespace: string;
  health: 'ok' | 'warning' | 'critical' | 'stale' | 'unknown';
}

/**
 * A backend plugin with the streaming backend's id that serves only its
 * `GET /pipelines/{namespace}/{name}/environments` route, for the tests of
 * the promote action: the environments and their health are what the test
 * sets in `environments` (keyed by entity ref). Requests must carry a user's
 * credentials (a token on behalf of the task's initiator), as the real route
 * requires; `calls` records who asked, by user ref.
 */
export function streamingEnvironmentsPlugin() {
  const environments = new Map<string, EnvironmentHealth[]>();
  const calls: string[] = [];
  const plugin = createBackendPlugin({
    pluginId: 'streaming',
    register(reg) {
      reg.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          httpRouter.use(async (req: any, res: any) => {
            const request = req as IncomingMessage & { path?: string };
            const response = res as ServerResponse;
            const send = (status: number, body: unknown) => {
              response.statusCode = status;
              response.setHeader('Content-Type', 'application/json');
              response.end(JSON.stringify(body));
            };
            const match = /^\/pipelines\/([^/]+)\/([^/]+)\/environments$/.exec(
              request.path ?? request.url ?? '',
            );
            if (request.method !== 'GET' || !match) {
              send(404, { error: { name: 'NotFoundError' } });
              return;
            }
            let userRef: string;
            try {
              const credentials = await httpAuth.credentials(req, {
                allow: ['user'],
              });
              userRef = credentials.principal.userEntityRef;
            } catch (error) {
              send(403, { error: { message: (error as Error).message } });
              return;
            }
            calls.push(userRef);
            const [, namespace, name] = match;
            const entityRef = `component:${decodeURIComponent(
              namespace,
            )}/${decodeURIComponent(name)}`;
            const list = environments.get(entityRef);
            if (!list) {
              send(404, { error: { name: 'NotFoundError' } });
              return;
            }
            send(200, {
              entityRef,
              environments: list.map((env, index) => ({
                ...env,
                queryName: `${name}@${env.name}`,
                state: null,
                image: null,
                lag: { messages: 0, seconds: 0 },
                costPerDay: 0,
                lastBatchAt: null,
                next: list[index + 1]?.name ?? null,
              })),
            });
          });
        },
      });
    },
  });
  return { plugin, environments, calls };
}
