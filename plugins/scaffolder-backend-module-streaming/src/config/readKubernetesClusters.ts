import { Config } from '@backstage/config';
import { z } from 'zod';
import { assertUniqueNames } from './readKafkaClusters';
import { parseConfigSection } from './parseConfigSection';

const kubernetesClusterSchema = z.object({
  name: z.string().min(1),
  url: z.url({ protocol: /^https?$/ }),
  serviceAccountToken: z.string().min(1).optional(),
  caData: z.string().min(1).optional(),
  skipTLSVerify: z.boolean().default(false),
  defaultNamespace: z.string().min(1).default('default'),
});

/**
 * A Kubernetes cluster from `streaming.kubernetes.clusters[]`.
 *
 * @public
 */
export type KubernetesClusterConfig = z.infer<typeof kubernetesClusterSchema>;

/**
 * Reads `streaming.kubernetes.clusters`; an absent key means no clusters.
 */
export function readKubernetesClusters(
  config: Config,
): KubernetesClusterConfig[] {
  const clusters = parseConfigSection(
    config,
    'streaming.kubernetes.clusters',
    z.array(kubernetesClusterSchema).default([]),
  );
  assertUniqueNames(clusters, 'streaming.kubernetes.clusters');
  return clusters;
}
