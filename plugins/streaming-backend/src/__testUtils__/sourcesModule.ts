import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  StreamingSourcesExtensionPoint,
  streamingSourcesExtensionPoint,
} from '@internal/plugin-streaming-node';

/** A backend module of the streaming plugin that sets sources through its extension point. */
export function sourcesModule(
  moduleId: string,
  register: (sources: StreamingSourcesExtensionPoint) => void,
) {
  return createBackendModule({
    pluginId: 'streaming',
    moduleId,
    register(env) {
      env.registerInit({
        deps: { sources: streamingSourcesExtensionPoint },
        async init({ sources }) {
          register(sources);
        },
      });
    },
  });
}
