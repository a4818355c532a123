import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { localRepoUrlReaderFactory } from './services/LocalRepoUrlReader/localRepoUrlReaderFactory';
import { scaffolderModuleStreaming } from './module';

/**
 * Everything the package adds to a backend: the scaffolder module and the
 * UrlReader for local repositories.
 *
 * @public
 */
export const streamingScaffolderFeatures = createBackendFeatureLoader({
  *loader() {
    yield scaffolderModuleStreaming;
    yield localRepoUrlReaderFactory;
  },
});
