import { InputError } from '@backstage/errors';

/**
 * Looks a cluster up by name; the error lists the configured names so a
 * template author sees at once what they may use.
 */
export function findCluster<T extends { name: string }>(
  clusters: T[],
  name: string,
  kind: 'Kafka' | 'Kubernetes',
): T {
  const cluster = clusters.find(c => c.name === name);
  if (!cluster) {
    const configured = clusters.map(c => c.name).join(', ') || 'none';
    throw new InputError(
      `No ${kind} cluster named "${name}"; configured: ${configured}`,
    );
  }
  return cluster;
}
