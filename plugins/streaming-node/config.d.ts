import { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * The streaming platform. The clusters below are read by
   * `@internal/plugin-streaming-node` (`readStreamingClusters`) for the
   * backend plugin, the scaffolder module and the catalog module alike.
   */
  streaming?: {
    /**
     * Kafka Connect clusters (`KafkaConnectClusters`): the workers
     * `kafka:connector:create` may create connectors on (Debezium CDC
     * sources), and whose connectors the catalog and the pipeline page show.
     * Templates and entities name a cluster, never a URL.
     */
    kafkaConnect?: {
      /**
       * Timeout of one request to a Connect worker's REST API: a
       * HumanDuration object, a string such as `'30s'`, or ISO 8601; a bad
       * one stops startup naming the key. Default: `{ seconds: 30 }`
       */
      requestTimeout?: HumanDuration | string;
      /**
       * @deprecated Use `requestTimeout`; still read (milliseconds), with a
       * warning.
       */
      requestTimeoutMs?: number;
      /**
       * How long a request answered that the Connect workers are
       * rebalancing (409, or 500 "a rebalance is expected"; as just after a
       * connector is created) is retried, with
       * backoff, before the action fails with Connect's message. Default:
       * `{ seconds: 60 }`
       */
      rebalanceTimeout?: HumanDuration | string;
      clusters?: Array<{
        /** The name templates use (`cluster` of `kafka:connector:create`). */
        name: string;
        /** The REST API of a Connect worker, e.g. `http://connect:8083`. */
        url: string;
        /** Basic auth user of the REST API, if it requires one. */
        username?: string;
        /**
         * Basic auth password, e.g. `${KAFKA_CONNECT_PASSWORD}` from the
         * environment.
         *
         * @visibility secret
         */
        password?: string;
        /**
         * Connector classes templates may create on this cluster, e.g.
         * `io.debezium.connector.postgresql.PostgresConnector`. Default:
         * unset, any class the worker has.
         */
        allowedConnectorClasses?: string[];
        /**
         * The Kafka cluster (name in `streaming.kafka.clusters`) this Connect
         * cluster's connectors write to and read from: the catalog links a
         * connector to that cluster's topic entities. Default: the first one.
         */
        kafkaCluster?: string;
      }>;
    };
    /** Kafka clusters, by name. Pipelines name theirs in `source.cluster`. */
    kafka?: {
      clusters: Array<{
        /** Name used by pipeline specs and the `kafka-cluster` annotation. */
        name: string;
        /** Bootstrap brokers, `host:port`. */
        brokers: string[];
        /**
         * Client id sent to the brokers. Default: the reading package's own
         * (`backstage-streaming` for the backend plugin,
         * `backstage-scaffolder-streaming` for the scaffolder actions).
         */
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

    /**
     * The platform's settings of the Kubernetes clusters. The clusters
     * themselves (URL, CA, service-account token) are the Kubernetes
     * plugin's: `kubernetes.clusterLocatorMethods` (`type: config`,
     * `authProvider: serviceAccount`), the one list the Kubernetes tab and the
     * platform read (`readKubernetesClusterConfigs`).
     */
    kubernetes?: {
      clusters: Array<{
        /**
         * The cluster's name in `kubernetes.clusterLocatorMethods`; used by
         * the `kubernetes-cluster` annotation and the cost rates.
         */
        name: string;
        /**
         * Namespace used when a pipeline or manifest names none. Default:
         * `default`.
         */
        defaultNamespace?: string;
      }>;
    };

    /**
     * Elasticsearch / OpenSearch clusters (`SearchClusters`), by name. The
     * backend reads the statistics of an `elasticsearch-index` Resource only
     * from these: the cluster the pipeline's `sink.cluster` names, or else
     * the one whose `nodes` include the pipeline's `sink.nodes` (never
     * requested themselves).
     */
    search?: {
      /**
       * Timeout of one request to a node: a HumanDuration object, a string
       * such as `'10s'`, or ISO 8601. Default: `{ seconds: 10 }`
       */
      requestTimeout?: HumanDuration | string;
      /**
       * How long the backend reuses an index's statistics for every caller:
       * a HumanDuration, a string such as `'30s'`, or ISO 8601; 0 turns the
       * cache off. Default: `{ seconds: 30 }`
       */
      statsCacheTtl?: HumanDuration | string;
      clusters?: Array<{
        /**
         * The cluster's name, shown with its indices; pipeline specs name it
         * in `sink.cluster`.
         */
        name: string;
        /**
         * Node URLs, e.g. `http://opensearch:9200`, tried in order; the
         * `nodes` of pipeline specs writing to this cluster are matched
         * against them.
         */
        nodes: string[];
        /**
         * The indices whose statistics the backend may show, as name
         * patterns (`*` matches any characters), e.g. `['logs-*']`. An
         * `elasticsearch-index` Resource naming another index of the cluster
         * is refused (403) without a request. Default: every index of the
         * cluster (names starting with `.`, the hidden and system indices,
         * are never shown).
         */
        indices?: string[];
        /** Basic auth user, if the cluster requires one. */
        username?: string;
        /**
         * Basic auth password, e.g. `${SEARCH_PASSWORD}` from the
         * environment.
         *
         * @visibility secret
         */
        password?: string;
      }>;
    };
  };
}
