import { useEntity } from '@backstage/plugin-catalog-react';
import { environmentLabel } from '../lib/pipelineSummary';

/**
 * "Environment: dev" on a pipeline whose spec declares environments, for the
 * cards that show its first environment's facts; undefined without.
 */
export function useEnvironmentLabel(): string | undefined {
  const { entity } = useEntity();
  return environmentLabel(entity);
}
