export interface Config {
  /**
   * The streaming platform's backend (`@internal/plugin-streaming-backend`).
   */
  streaming?: {
    /**
     * Topic on which every generated job publishes its `StreamingQueryProgress`
     * events (JSON, keyed by query name). Read on every Kafka cluster.
     * Default: `streaming.progress`.
     */
    progressTopic?: string;

    /**
     * Consumer group of the backend's progress consumer. Default:
     * `backstage-streaming-progress`.
     */
    progressConsumerGroup?: string;

    /** Kafka clusters, by name. Pipelines name theirs in `source.cluster`. */
    kafka?: {
      clusters: Array<{
        /** Name used by pipeline specs and the `kafka-cluster` annotation. */
        name: string;
        /** Bootstrap brokers, `host:port`. */
        brokers: string[];
        /** Client id sent to the brokers. Default: `backstage-streaming`. */
        clientId?: string;
        /**
         * TLS: `true` for the system trust store, or explicit PEM material.
         * Default: plaintext.
         */
        ssl?:
          | boolean
          | {
              /** PEM of the certificate authority. */
              ca?: string;
              /**
               * PEM of the client certificate (mutual TLS).
               */
              cert?: string;
              /**
               * PEM of the client key (mutual TLS).
               * @visibility secret
               */
              key?: string;
              /** Default: true. */
              rejectUnauthorized?: boolean;
            };
        /** SASL authentication. Default: none. */
        sasl?: {
          /** `plain`, `scram-sha-256` or `scram-sha-512`. */
          mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
          username: string;
          /** @visibility secret */
          password: string;
        };
        /** Default: 3000. */
        connectionTimeoutMs?: number;
        /** Default: 10000. */
        requestTimeoutMs?: number;
      }>;
    };

    /** Kubernetes clusters running the Spark Operator, by name. */
    kubernetes?: {
      clusters: Array<{
        /** Name used by the `kubernetes-cluster` annotation and the cost rates. */
        name: string;
        /** API server URL. */
        url: string;
        /**
         * Bearer token of a service account that may get `sparkapplications`.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Base64 PEM of the API server's certificate authority. */
        caData?: string;
        /** Default: false. Only for test clusters. */
        skipTLSVerify?: boolean;
        /**
         * Namespace used when a pipeline names none. Default: `default`.
         */
        defaultNamespace?: string;
      }>;
    };

    /** Background polling of Kafka offsets (lag). */
    lag?: {
      /** Seconds between two polls of every cluster's offsets. Default: 30. */
      pollIntervalSeconds?: number;
      /**
       * Observations of (offset, time) kept per partition to turn message lag
       * into seconds. Default: 240 (two hours at the default interval).
       */
      historySize?: number;
    };

    /** History of micro-batches kept in the plugin's database. */
    retention?: {
      /** Batches older than this are deleted. Default: 7. */
      maxAgeDays?: number;
      /** At most this many batches are kept per pipeline. Default: 20000. */
      maxBatchesPerPipeline?: number;
      /** Minutes between two clean-ups. Default: 10. */
      cleanupIntervalMinutes?: number;
    };

    /** What the catalog and the permission framework answered a caller. */
    catalog?: {
      /**
       * Seconds a caller's catalog reads (the pipelines they may see, an
       * entity) and the cost permission decisions of their overview are
       * reused, so that a busy dashboard does not query the catalog on every
       * request. A change of the catalog or of the caller's permissions
       * shows within this time. 0 turns the reuse off. Default: 10.
       */
      cacheSeconds?: number;
    };

    /** Status of pipelines. */
    status?: {
      /**
       * A pipeline without a micro-batch for this long is `stale`, and locally
       * not running. Default: 300.
       */
      staleAfterSeconds?: number;
      /** Seconds a SparkApplication read from Kubernetes is reused. Default: 15. */
      cacheSeconds?: number;
    };

    /** Cost of pipelines. */
    cost?: {
      /** ISO currency code shown with every figure. Default: `USD`. */
      currency?: string;
      /**
       * Rates by Kubernetes cluster name; `default` applies to every other
       * cluster and to pipelines running outside Kubernetes.
       */
      rates?: {
        [cluster: string]: {
          /** Price of one core for one hour. */
          coreHour: number;
          /** Price of one GB of memory for one hour. */
          gbHour: number;
        };
      };
      /** OpenCost's allocation API, optional. Used before the rates when set. */
      opencost?: {
        /** Base URL of OpenCost, for example `http://opencost.opencost:9003`. */
        url: string;
        /** Allocation window. Default: `7d`. */
        window?: string;
      };
    };

    /** Alerting on pipeline health. */
    alerts?: {
      /**
       * Send a Backstage notification to the pipeline's owner on every change
       * of health. Default: false.
       */
      notify?: boolean;
      /** Seconds between two evaluations of every pipeline. Default: 60. */
      evaluateIntervalSeconds?: number;
    };

    /** Delta tables. */
    delta?: {
      /**
       * Local folders under which the backend may read a table's `_delta_log`.
       * Tables elsewhere are shown without log facts. Default: none.
       */
      allowedRoots?: string[];
    };
  };
}
