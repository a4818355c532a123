import type { KubeConfig } from '@kubernetes/client-node';
import { KubernetesClusterConfig } from './readKubernetesClusters';

/**
 * `@kubernetes/client-node`, an ES module, loaded on first use.
 *
 * @public
 */
export function loadKubernetesClient(): Promise<
  typeof import('@kubernetes/client-node')
> {
  return import('@kubernetes/client-node');
}

/**
 * The `@kubernetes/client-node` configuration of one cluster (its URL, CA and
 * service account token), from which apply, status and tests make their API
 * clients.
 *
 * @public
 */
export async function kubeConfigForCluster(
  cluster: Pick<
    KubernetesClusterConfig,
    | 'name'
    | 'url'
    | 'serviceAccountToken'
    | 'caData'
    | 'caFile'
    | 'skipTLSVerify'
  >,
): Promise<KubeConfig> {
  const { KubeConfig } = await loadKubernetesClient();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        skipTLSVerify: cluster.skipTLSVerify ?? false,
      },
    ],
    users: [{ name: 'backstage', token: cluster.serviceAccountToken }],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: 'backstage' },
    ],
    currentContext: cluster.name,
  });
  return kubeConfig;
}
