import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  streaming?: {
    /**
     * Schema registries serving the Confluent Schema Registry API (Confluent,
     * Apicurio Registry's `/apis/ccompat/v7`, Karapace), by name. Their
     * subjects become API entities; `streaming:pipeline:validate` checks a
     * pipeline's schema against them.
     */
    schemaRegistries?: {
      [name: string]: {
        /** Base URL of the Confluent-compatible API, without credentials. */
        url: string;
        /** Basic authentication user (a Confluent Cloud API key). */
        username?: string;
        /**
         * Basic authentication password (a Confluent Cloud API secret); from
         * the environment, e.g. `${SCHEMA_REGISTRY_PASSWORD}`.
         * @visibility secret
         */
        password?: string;
        /** Milliseconds before a request is abandoned. Default: 10000. */
        requestTimeoutMs?: number;
        /**
         * The Kafka cluster (name in `streaming.kafka.clusters`) whose topics
         * the subjects describe (`<topic>-value`). Default: the first one.
         */
        kafkaCluster?: string;
      };
    };
  };
  catalog?: {
    providers?: {
      /** The schema registry entity provider of `catalogModuleStreaming`. */
      streamingSchemaRegistry?: {
        /**
         * Owner of a subject's API entity when the topic it describes has no
         * owner of its own (no pipeline writes it): an entity ref, kind
         * `group` and namespace `default` when left out. Default:
         * `group:default/unknown`.
         */
        owner?: string;
        /**
         * How often every registry is read. Default: every 5 minutes,
         * timeout 3 minutes.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Subjects of one registry that become entities, in name order; the
         * rest are left out with a warning naming this key. Default: 1000.
         */
        maxSubjects?: number;
        /**
         * How long the list of a registry's subjects is reused when linking
         * pipelines to the subjects of the topics they read: a HumanDuration
         * object, a string such as `'1m'`, or ISO 8601; zero (`'0s'`) reads
         * it every time. Default: `{ minutes: 1 }`.
         */
        subjectsCacheTtl?: HumanDuration | string;
        /**
         * @deprecated Use `subjectsCacheTtl`; still read, with a warning.
         */
        subjectsCacheSeconds?: number;
      };
      /**
       * The Kafka Connect entity provider of `catalogModuleStreaming`: one per
       * cluster of `streaming.kafkaConnect.clusters`, active whenever a
       * cluster is configured. Each connector becomes a `kafka-connector`
       * Resource, each table a Debezium source connector captures a
       * `database-table` Resource, linked table -> connector -> topic.
       */
      streamingKafkaConnect?: {
        /**
         * Owner of the connector and database table entities: an entity ref,
         * kind `group` and namespace `default` when left out. Default:
         * `group:default/unknown`.
         */
        owner?: string;
        /**
         * How often every Connect cluster is read. A cluster that does not
         * answer keeps the entities of its last good read. Default: every 5
         * minutes, timeout 3 minutes.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Connectors of one cluster that become entities, in name order; the
         * rest are left out with a warning naming this key. Default: 1000.
         */
        maxConnectors?: number;
      };
    };
    processors?: {
      /** The streaming pipeline processor of `catalogModuleStreaming`. */
      streamingPipeline?: {
        /**
         * Largest pipeline spec or schema file read, in bytes. A larger file
         * is an error on the pipeline entity; a URL read stops at this many
         * bytes. Default: 1048576 (1 MiB).
         */
        maxFileBytes?: number;
        /**
         * Owner of the Resources that pipelines only read and none writes
         * (a topic fed from outside, a CDC source table): an entity ref,
         * kind `group` and namespace `default` when left out. A reader never
         * becomes their owner; what a pipeline writes takes that pipeline's
         * owner. Default: `group:default/unknown`.
         */
        inputOwner?: string;
        /**
         * How long a pipeline's claim on its checkpoint lasts without being
         * renewed by a processing of the pipeline: a HumanDuration object, a
         * string such as `'15m'`, or ISO 8601. Two pipelines claiming one
         * checkpoint are both errors; a deleted pipeline, or one that moved
         * its checkpoint, stops conflicting within this time. Must exceed the
         * catalog's processing interval. Default: `{ minutes: 15 }`.
         */
        checkpointClaimTtl?: HumanDuration | string;
        /**
         * @deprecated Use `checkpointClaimTtl`; still read, with a warning.
         */
        checkpointClaimSeconds?: number;
      };
    };
  };
}
