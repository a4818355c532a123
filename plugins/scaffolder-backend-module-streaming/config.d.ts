import { HumanDuration } from '@backstage/types';

export interface Config {
  streaming?: {
    /**
     * Settings of the streaming scaffolder actions. The Kafka and Kubernetes
     * clusters the actions use are the ones in `streaming.kafka.clusters`
     * and `kubernetes.clusterLocatorMethods` (with their
     * `streaming.kubernetes.clusters` settings).
     */
    scaffolder?: {
      /**
       * `streaming:publish:local`: local git repositories for development
       * without a GitHub or GitLab account.
       */
      localPublish?: {
        /**
         * Folder that holds the repositories, absolute or relative to the
         * root of the Backstage app's repository. The catalog may read
         * `file:` URLs inside it (and nowhere else).
         *
         * Default: `.cache/local-repos`
         */
        baseDir?: string;
      };
      /**
       * Limits of `kafka:topic:create`. A step beyond any of them fails
       * before anything is created, naming the limit. Each limit applies to
       * every cluster unless the cluster's entry in `clusters` overrides it.
       */
      kafkaTopics?: {
        /** Topics one step may create. Default: 10 */
        maxTopicsPerStep?: number;
        /** Partitions of one topic. Default: 100 */
        maxPartitions?: number;
        /** Replication factor of one topic. Default: 3 */
        maxReplicationFactor?: number;
        /**
         * Longest `retention.ms` a template may set; -1 (unlimited) is
         * refused. Default: 2592000000 (30 days)
         */
        maxRetentionMs?: number;
        /** Largest `max.message.bytes` a template may set. Default: 8388608 (8 MiB) */
        maxMessageBytes?: number;
        /**
         * Per cluster of `streaming.kafka.clusters` (by `name`): other limits
         * and the templates allowed to create topics on it.
         */
        clusters?: Array<{
          /** The cluster's name in `streaming.kafka.clusters`. */
          name: string;
          /**
           * Entity refs of the templates that may create topics on this
           * cluster (`template:default/kafka-to-delta`). Default: unset,
           * any template may.
           */
          allowedTemplates?: string[];
          /** Overrides `maxTopicsPerStep` on this cluster. */
          maxTopicsPerStep?: number;
          /** Overrides `maxPartitions` on this cluster. */
          maxPartitions?: number;
          /** Overrides `maxReplicationFactor` on this cluster. */
          maxReplicationFactor?: number;
          /** Overrides `maxRetentionMs` on this cluster. */
          maxRetentionMs?: number;
          /** Overrides `maxMessageBytes` on this cluster. */
          maxMessageBytes?: number;
        }>;
      };
      /** `streaming:pipeline:backfill`. */
      backfill?: {
        /**
         * How long the Spark Operator keeps a backfill's SparkApplication
         * after it ended (its `timeToLiveSeconds`): a duration such as
         * `{ days: 7 }`, `'12h'` or `'P7D'`. Default: 7 days.
         */
        timeToLive?: HumanDuration | string;
      };
      /**
       * `streaming:pipeline:decommission`: what it may delete besides the
       * pipeline's Kubernetes objects, output topics and catalog location.
       */
      decommission?: {
        /**
         * Folders (absolute, or relative to the root of the Backstage app's
         * repository) under which a pipeline's checkpoint may be deleted
         * when the step asks for it; a checkpoint elsewhere (another folder,
         * an object store URL, a path that leaves the folder through `..` or
         * a symbolic link) is kept and reported. Default: none.
         */
        checkpointRoots?: string[];
      };
      /**
       * Apply policy of `streaming:sparkApplication:apply`, for each object it
       * applies (SparkApplication, ScheduledSparkApplication and its
       * template, PrometheusRule). A manifest that breaks it fails the step
       * before any object is sent, and the error names
       * the field and the key below. Always refused, whatever the config:
       * privileged containers, privilege escalation, added capabilities,
       * `hostPath` volumes, `hostNetwork`/`hostPID`/`hostIPC`, pod templates
       * and Spark settings that mount volumes, set pod template files, service
       * account credentials, images or the namespace
       * (`spark.kubernetes.*.volumes.*`, `*.podTemplateFile`,
       * `spark.kubernetes.authenticate.*`, `*.container.image`,
       * `spark.kubernetes.namespace`). An existing object is changed only when
       * its `streaming-platform.dev/owner-entity` annotation names the same
       * catalog entity.
       */
      sparkApplications?: {
        /**
         * Namespaces objects may be applied to, on every cluster without its
         * own list; the streaming backend reads SparkApplication status only
         * in these namespaces. Default: unset, only the cluster's
         * `defaultNamespace`.
         */
        allowedNamespaces?: string[];
        /**
         * Service accounts the driver and executors may run as
         * (`serviceAccount`, `serviceAccountName` anywhere in the spec).
         * Default: `['spark']`
         */
        allowedServiceAccounts?: string[];
        /**
         * Registries (with an optional path prefix) images must come from,
         * for example `registry.example.com/data`; an image without a registry
         * is read as Docker Hub's (`docker.io/library/spark`). Default: unset,
         * any registry.
         */
        allowedImageRegistries?: string[];
        /** Per Kubernetes cluster (by `name`). */
        clusters?: Array<{
          /** The cluster's name in `kubernetes.clusterLocatorMethods`. */
          name: string;
          /** Overrides `allowedNamespaces` on this cluster. */
          allowedNamespaces?: string[];
          /** Overrides `allowedServiceAccounts` on this cluster. */
          allowedServiceAccounts?: string[];
          /** Overrides `allowedImageRegistries` on this cluster. */
          allowedImageRegistries?: string[];
        }>;
      };
    };
  };
}
