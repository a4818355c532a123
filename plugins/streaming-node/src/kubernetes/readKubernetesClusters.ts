import { Config } from '@backstage/config';
import { z } from 'zod';
import { parseConfigSection } from '../config/parseConfigSection';

/** Where the clusters are: the Kubernetes plugin's own list. */
const KUBERNETES_CLUSTERS_CONFIG_KEY = 'kubernetes.clusterLocatorMethods';

/** The streaming platform's own settings per cluster, by cluster name. */
const STREAMING_KUBERNETES_CONFIG_KEY = 'streaming.kubernetes.clusters';

/**
 * One cluster of a `type: config` cluster locator of
 * `@backstage/plugin-kubernetes-backend`, as far as the streaming platform
 * reads it (other keys are the Kubernetes plugin's and are left alone).
 */
const locatedClusterSchema = z.object({
  name: z.string().min(1),
  url: z.url({ protocol: /^https?$/ }),
  authProvider: z.string().min(1).default('serviceAccount'),
  serviceAccountToken: z.string().min(1).optional(),
  caData: z.string().min(1).optional(),
  caFile: z.string().min(1).optional(),
  skipTLSVerify: z.boolean().default(false),
});

/** Only `type: config` locators have `clusters`; the other types are the Kubernetes plugin's. */
const locatorsSchema = z
  .array(
    z.object({
      type: z.string().min(1),
      clusters: z.array(locatedClusterSchema).optional(),
    }),
  )
  .default([]);

/**
 * `streaming.kubernetes.clusters`: the streaming platform's settings of each
 * cluster, by the cluster's name in `kubernetes.clusterLocatorMethods`.
 *
 * @public
 */
export const streamingKubernetesSettingsSchema = z
  .array(
    z.object({
      name: z.string().min(1),
      defaultNamespace: z.string().min(1).default('default'),
    }),
  )
  .default([]);

/**
 * A Kubernetes cluster the streaming platform deploys to and reads status
 * from: an entry of `kubernetes.clusterLocatorMethods[type=config].clusters`
 * that authenticates with `authProvider: serviceAccount`, plus its settings
 * in `streaming.kubernetes.clusters[]` (same `name`).
 *
 * @public
 */
export interface KubernetesClusterConfig {
  name: string;
  /** API server URL. */
  url: string;
  serviceAccountToken?: string;
  /** Base64 PEM of the API server's certificate authority. */
  caData?: string;
  /** Path of a PEM file of the API server's certificate authority. */
  caFile?: string;
  skipTLSVerify: boolean;
  /** Namespace for objects and pipelines that name none (default `default`). */
  defaultNamespace: string;
}

/**
 * Reads the Kubernetes clusters from the one list that also configures the
 * Kubernetes tab: `kubernetes.clusterLocatorMethods` (`type: config`, the
 * clusters with `authProvider: serviceAccount`; the backend has no
 * credentials of its own for the others), each with its settings in
 * `streaming.kubernetes.clusters[]` (same `name`). No locator means no
 * clusters. Errors name the config key, never a value (tokens).
 *
 * @public
 */
export function readKubernetesClusterConfigs(
  config: Config,
): KubernetesClusterConfig[] {
  const locators = parseConfigSection(
    config,
    KUBERNETES_CLUSTERS_CONFIG_KEY,
    locatorsSchema,
  );
  const settings = parseConfigSection(
    config,
    STREAMING_KUBERNETES_CONFIG_KEY,
    streamingKubernetesSettingsSchema,
  );
  const clusters: KubernetesClusterConfig[] = [];
  const names = new Set<string>();
  for (const locator of locators) {
    if (locator.type !== 'config') continue;
    for (const cluster of locator.clusters ?? []) {
      if (names.has(cluster.name)) {
        throw new Error(
          `Invalid configuration: ${KUBERNETES_CLUSTERS_CONFIG_KEY} names the cluster "${cluster.name}" more than once`,
        );
      }
      names.add(cluster.name);
      if (cluster.authProvider !== 'serviceAccount') continue;
      clusters.push({
        name: cluster.name,
        url: cluster.url,
        serviceAccountToken: cluster.serviceAccountToken,
        caData: cluster.caData,
        caFile: cluster.caFile,
        skipTLSVerify: cluster.skipTLSVerify,
        defaultNamespace:
          settings.find(s => s.name === cluster.name)?.defaultNamespace ??
          'default',
      });
    }
  }
  for (const [index, { name }] of settings.entries()) {
    if (!clusters.some(c => c.name === name)) {
      throw new Error(
        `Invalid configuration: ${STREAMING_KUBERNETES_CONFIG_KEY}[${index}] names "${name}", no cluster of ${KUBERNETES_CLUSTERS_CONFIG_KEY} (type: config, authProvider: serviceAccount)`,
      );
    }
    if (settings.findIndex(s => s.name === name) !== index) {
      throw new Error(
        `Invalid configuration: ${STREAMING_KUBERNETES_CONFIG_KEY} names "${name}" more than once`,
      );
    }
  }
  return clusters;
}
