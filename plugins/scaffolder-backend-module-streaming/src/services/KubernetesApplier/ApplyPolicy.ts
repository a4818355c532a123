import { Config } from '@backstage/config';
import {
  parseConfigSection,
  SPARK_APPLICATIONS_CONFIG_KEY as CONFIG_KEY,
  SparkApplicationNamespaces,
} from '@internal/plugin-streaming-node';
import { z } from 'zod';

/** Service accounts a SparkApplication may run as unless configured. */
export const DEFAULT_ALLOWED_SERVICE_ACCOUNTS = ['spark'];

const limitsSchema = z.object({
  allowedServiceAccounts: z.array(z.string().min(1)).optional(),
  allowedImageRegistries: z.array(z.string().min(1)).optional(),
});

const sectionSchema = limitsSchema
  .extend({
    clusters: z
      .array(limitsSchema.extend({ name: z.string().min(1) }))
      .default([]),
  })
  .default({ clusters: [] });

type Limits = z.infer<typeof limitsSchema>;

/** One allow-list with the config key it came from, for error messages. */
interface AllowList {
  values: string[];
  key: string;
}

/** What `streaming:sparkApplication:apply` may send to one cluster. */
interface ClusterPolicy {
  serviceAccounts: AllowList;
  /** Unset: images from any registry. */
  imageRegistries?: AllowList;
}

/**
 * Spark settings that would reach around the pod checks below: volumes
 * (hostPath among them), pod template files, other service accounts or
 * credentials, other images, another namespace.
 */
const REFUSED_SPARK_SETTINGS = [
  /^spark\.kubernetes\.(driver|executor)\.volumes\./,
  /^spark\.kubernetes\.(driver|executor)\.podTemplate/,
  /^spark\.kubernetes\.authenticate\./,
  /^spark\.kubernetes\.((driver|executor)\.)?container\.image$/,
  /^spark\.kubernetes\.namespace$/,
];

/** Maps of user-chosen keys, not pod settings: never walked into. */
const FREE_FORM_MAPS = new Set(['labels', 'annotations', 'nodeSelector']);

function allowList(
  limits: Limits | undefined,
  field: keyof Limits,
  key: string,
): AllowList | undefined {
  const values = limits?.[field];
  return values ? { values, key: `${key}.${field}` } : undefined;
}

/** `spark:4.0.0` is `docker.io/library/spark:4.0.0`, as a container runtime reads it. */
export function imageReference(image: string): string {
  const [first, ...rest] = image.split('/');
  if (
    rest.length > 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost')
  ) {
    return image;
  }
  return rest.length > 0 ? `docker.io/${image}` : `docker.io/library/${image}`;
}

/**
 * The apply policy of `streaming.scaffolder.sparkApplications`: namespaces,
 * service accounts and image registries allowed per cluster, and pod settings
 * that are never allowed (privileged containers, privilege escalation, added
 * capabilities, hostPath volumes, the host's network, PID or IPC namespace,
 * pod templates, Spark settings that reach around these checks).
 */
export class ApplyPolicy {
  readonly #namespaces: SparkApplicationNamespaces;
  readonly #defaults: ClusterPolicy;
  readonly #clusters: Map<string, ClusterPolicy>;

  static fromConfig(config: Config): ApplyPolicy {
    const section = parseConfigSection(config, CONFIG_KEY, sectionSchema);
    const defaults: ClusterPolicy = {
      serviceAccounts: allowList(
        section,
        'allowedServiceAccounts',
        CONFIG_KEY,
      ) ?? {
        values: DEFAULT_ALLOWED_SERVICE_ACCOUNTS,
        key: `${CONFIG_KEY}.allowedServiceAccounts`,
      },
      imageRegistries: allowList(section, 'allowedImageRegistries', CONFIG_KEY),
    };
    const clusters = new Map<string, ClusterPolicy>();
    for (const cluster of section.clusters) {
      const key = `${CONFIG_KEY}.clusters[${cluster.name}]`;
      clusters.set(cluster.name, {
        serviceAccounts:
          allowList(cluster, 'allowedServiceAccounts', key) ??
          defaults.serviceAccounts,
        imageRegistries:
          allowList(cluster, 'allowedImageRegistries', key) ??
          defaults.imageRegistries,
      });
    }
    return new ApplyPolicy(
      SparkApplicationNamespaces.fromConfig(config),
      defaults,
      clusters,
    );
  }

  private constructor(
    namespaces: SparkApplicationNamespaces,
    defaults: ClusterPolicy,
    clusters: Map<string, ClusterPolicy>,
  ) {
    this.#namespaces = namespaces;
    this.#defaults = defaults;
    this.#clusters = clusters;
  }

  /**
   * Every way the object breaks the policy of `cluster`, each naming the
   * field and, for allow-lists, the config key; empty when it may be applied.
   */
  problems(
    cluster: { name: string; defaultNamespace: string },
    namespace: string,
    manifest: { kind: string; spec?: unknown },
  ): string[] {
    const policy = this.#clusters.get(cluster.name) ?? this.#defaults;
    const problems: string[] = [];
    const deployTo = this.#namespaces.forCluster(cluster);
    if (!deployTo.namespaces.includes(namespace)) {
      problems.push(
        `namespace "${namespace}" is not allowed on Kubernetes cluster "${cluster.name}" (${deployTo.source})`,
      );
    }
    const visit = (value: unknown, path: string, key: string): void => {
      const refuse = (reason: string) => problems.push(`${path}: ${reason}`);
      if (key === 'sparkConf' || key === 'hadoopConf') {
        for (const setting of Object.keys(
          (value as Record<string, unknown>) ?? {},
        )) {
          if (REFUSED_SPARK_SETTINGS.some(p => p.test(setting))) {
            problems.push(
              `${path}[${JSON.stringify(
                setting,
              )}]: this Spark setting is not allowed`,
            );
          }
        }
        return;
      }
      switch (key) {
        case 'hostPath':
          refuse('hostPath volumes are not allowed');
          return;
        case 'privileged':
          if (value === true) refuse('privileged containers are not allowed');
          return;
        case 'allowPrivilegeEscalation':
          if (value === true) refuse('privilege escalation is not allowed');
          return;
        case 'hostNetwork':
          if (value === true) refuse('the host network is not allowed');
          return;
        case 'hostPID':
        case 'hostIPC':
          if (value === true) refuse(`${key} is not allowed`);
          return;
        case 'serviceAccount':
        case 'serviceAccountName':
          if (
            typeof value === 'string' &&
            !policy.serviceAccounts.values.includes(value)
          ) {
            refuse(
              `service account "${value}" is not allowed (${
                policy.serviceAccounts.key
              }: ${policy.serviceAccounts.values.join(', ')})`,
            );
          }
          return;
        case 'image':
          if (typeof value === 'string' && policy.imageRegistries) {
            const reference = imageReference(value);
            const allowed = policy.imageRegistries.values.some(registry =>
              reference.startsWith(`${registry.replace(/\/+$/, '')}/`),
            );
            if (!allowed) {
              refuse(
                `image "${value}" is not from an allowed registry (${
                  policy.imageRegistries.key
                }: ${policy.imageRegistries.values.join(', ')})`,
              );
            }
          }
          return;
        case 'template':
          if (/\.(driver|executor)$/.test(path.slice(0, -'.template'.length))) {
            refuse('pod templates are not allowed');
            return;
          }
          break;
        case 'capabilities': {
          const add = (value as { add?: unknown[] } | null)?.add;
          if (Array.isArray(add) && add.length > 0) {
            refuse('added capabilities are not allowed');
          }
          return;
        }
        default:
          if (FREE_FORM_MAPS.has(key)) return;
      }
      if (Array.isArray(value)) {
        value.forEach((item, index) => visit(item, `${path}[${index}]`, ''));
      } else if (value && typeof value === 'object') {
        for (const [child, childValue] of Object.entries(value)) {
          visit(childValue, `${path}.${child}`, child);
        }
      }
    };
    visit(manifest.spec, 'spec', 'spec');
    return problems;
  }
}
