import { targetPaths } from '@backstage/cli-common';
import { Config } from '@backstage/config';
import { isAbsolute } from 'node:path';

/** Default of `streaming.scaffolder.localPublish.baseDir`, from the repo root. */
export const DEFAULT_LOCAL_PUBLISH_BASE_DIR = '.cache/local-repos';

/**
 * The folder that holds the repositories `streaming:publish:local` creates:
 * `streaming.scaffolder.localPublish.baseDir`, absolute or relative to the
 * root of the Backstage app's repository.
 */
export function readLocalPublishBaseDir(config: Config): string {
  const baseDir =
    config.getOptionalString('streaming.scaffolder.localPublish.baseDir') ??
    DEFAULT_LOCAL_PUBLISH_BASE_DIR;
  return isAbsolute(baseDir) ? baseDir : targetPaths.resolveRoot(baseDir);
}
