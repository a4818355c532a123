import { Config } from '@backstage/config';
import { z } from 'zod';
import { parseConfigSection } from './parseConfigSection';

/**
 * The config section of the platform's SparkApplications: what
 * `streaming:sparkApplication:apply` may deploy, per Kubernetes cluster.
 *
 * @public
 */
export const SPARK_APPLICATIONS_CONFIG_KEY =
  'streaming.scaffolder.sparkApplications';

const sectionSchema = z
  .object({
    allowedNamespaces: z.array(z.string().min(1)).optional(),
    clusters: z
      .array(
        z.object({
          name: z.string().min(1),
          allowedNamespaces: z.array(z.string().min(1)).optional(),
        }),
      )
      .default([]),
  })
  .default({ clusters: [] });

/**
 * The namespaces of one cluster and, for error messages, the config key and
 * values they come from.
 *
 * @public
 */
export interface AllowedNamespaces {
  namespaces: string[];
  /** For example `streaming.scaffolder.sparkApplications.allowedNamespaces: streaming, etl`. */
  source: string;
}

/**
 * The namespaces the platform deploys SparkApplications to, per cluster, from
 * `streaming.scaffolder.sparkApplications` (`allowedNamespaces`, overridden
 * per cluster in `clusters[]`; unset: only the cluster's `defaultNamespace`).
 * The apply action deploys only there and the status source reads only there.
 *
 * @public
 */
export class SparkApplicationNamespaces {
  readonly #defaults?: string[];
  readonly #clusters: Map<string, string[] | undefined>;

  static fromConfig(config: Config): SparkApplicationNamespaces {
    const section = parseConfigSection(
      config,
      SPARK_APPLICATIONS_CONFIG_KEY,
      sectionSchema,
    );
    return new SparkApplicationNamespaces(
      section.allowedNamespaces,
      new Map(section.clusters.map(c => [c.name, c.allowedNamespaces])),
    );
  }

  private constructor(
    defaults: string[] | undefined,
    clusters: Map<string, string[] | undefined>,
  ) {
    this.#defaults = defaults;
    this.#clusters = clusters;
  }

  /** The namespaces of `cluster` (a cluster of `streaming.kubernetes.clusters`). */
  forCluster(cluster: {
    name: string;
    defaultNamespace: string;
  }): AllowedNamespaces {
    const own = this.#clusters.get(cluster.name);
    if (own) {
      return {
        namespaces: own,
        source: `${SPARK_APPLICATIONS_CONFIG_KEY}.clusters[${
          cluster.name
        }].allowedNamespaces: ${own.join(', ')}`,
      };
    }
    if (this.#defaults) {
      return {
        namespaces: this.#defaults,
        source: `${SPARK_APPLICATIONS_CONFIG_KEY}.allowedNamespaces: ${this.#defaults.join(
          ', ',
        )}`,
      };
    }
    return {
      namespaces: [cluster.defaultNamespace],
      source: `${SPARK_APPLICATIONS_CONFIG_KEY}.allowedNamespaces: default namespace ${cluster.defaultNamespace}`,
    };
  }
}
