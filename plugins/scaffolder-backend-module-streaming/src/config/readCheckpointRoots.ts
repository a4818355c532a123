import { targetPaths } from '@backstage/cli-common';
import { Config } from '@backstage/config';
import { isAbsolute } from 'node:path';

/**
 * The folders under which `streaming:pipeline:decommission` may delete a
 * pipeline's checkpoint: `streaming.scaffolder.decommission.checkpointRoots`,
 * each absolute or relative to the root of the Backstage app's repository.
 * Default: none (checkpoints are only reported).
 */
export function readCheckpointRoots(config: Config): string[] {
  return (
    config.getOptionalStringArray(
      'streaming.scaffolder.decommission.checkpointRoots',
    ) ?? []
  ).map(root => (isAbsolute(root) ? root : targetPaths.resolveRoot(root)));
}
