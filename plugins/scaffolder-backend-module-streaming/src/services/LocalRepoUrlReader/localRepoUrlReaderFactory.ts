import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { readLocalPublishBaseDir } from '../../config/readLocalPublishBaseDir';
import { LocalRepoUrlReader } from './LocalRepoUrlReader';

/**
 * Adds {@link LocalRepoUrlReader} to every plugin's UrlReader, so that the
 * catalog (and TechDocs) can read `file:` URLs of local repositories.
 *
 * @public
 */
export const localRepoUrlReaderFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: { config: coreServices.rootConfig },
  factory({ config }) {
    const baseDir = readLocalPublishBaseDir(config);
    return ({ treeResponseFactory }) => {
      const reader = new LocalRepoUrlReader({ baseDir, treeResponseFactory });
      return [{ reader, predicate: url => reader.handles(url) }];
    };
  },
});
