/**
 * Every annotation this platform defines starts with this prefix.
 *
 * @public
 */
export const STREAMING_ANNOTATION_PREFIX = 'streaming-platform.dev';

/**
 * On a pipeline Component: the path of its pipeline spec file, relative to the
 * entity's own location (for example `./pipeline.yaml`).
 *
 * @public
 */
export const ANNOTATION_PIPELINE_SPEC = `${STREAMING_ANNOTATION_PREFIX}/pipeline-spec`;

/**
 * On a pipeline Component: a JSON {@link PipelineSummary} written by the
 * catalog processor, so the backend and frontend never re-read the spec.
 *
 * @public
 */
export const ANNOTATION_PIPELINE_SUMMARY = `${STREAMING_ANNOTATION_PREFIX}/pipeline-summary`;

/**
 * On a pipeline Component: the location (`url:...` or `file:...`) of the
 * entity file the catalog processor computed the summary for, equal to its
 * `backstage.io/managed-by-location`. The processor drops both this and the
 * summary from what an author writes; the backend serves a summary only with
 * this marker.
 *
 * @public
 */
export const ANNOTATION_PIPELINE_SUMMARY_LOCATION = `${STREAMING_ANNOTATION_PREFIX}/pipeline-summary-location`;

/**
 * On a pipeline Component or a topic Resource: the Kafka cluster, by its name
 * in app-config (`streaming.kafka.clusters[].name`).
 *
 * @public
 */
export const ANNOTATION_KAFKA_CLUSTER = `${STREAMING_ANNOTATION_PREFIX}/kafka-cluster`;

/**
 * On a `kafka-topic` Resource: the physical topic name, exactly.
 *
 * @public
 */
export const ANNOTATION_KAFKA_TOPIC = `${STREAMING_ANNOTATION_PREFIX}/kafka-topic`;

/**
 * On a `delta-table` Resource: the physical table location (path or URI), exactly.
 *
 * @public
 */
export const ANNOTATION_DELTA_PATH = `${STREAMING_ANNOTATION_PREFIX}/delta-path`;

/**
 * On an `elasticsearch-index` Resource: the physical index name.
 *
 * @public
 */
export const ANNOTATION_ELASTICSEARCH_INDEX = `${STREAMING_ANNOTATION_PREFIX}/elasticsearch-index`;

/**
 * On an `elasticsearch-index` Resource: the node URLs the pipeline writes to
 * (its spec's `sink.nodes`, comma-separated). The backend reads the index's
 * statistics only from the configured search cluster that lists them.
 *
 * @public
 */
export const ANNOTATION_ELASTICSEARCH_NODES = `${STREAMING_ANNOTATION_PREFIX}/elasticsearch-nodes`;

/**
 * On an `elasticsearch-index` Resource and the pipeline writing it: the search
 * cluster, by its name in app-config (`streaming.search.clusters[].name`, the
 * spec's `sink.cluster`). The backend reads the index's statistics from that
 * cluster; an index without it is matched by its nodes.
 *
 * @public
 */
export const ANNOTATION_ELASTICSEARCH_CLUSTER = `${STREAMING_ANNOTATION_PREFIX}/elasticsearch-cluster`;

/**
 * On a `database-table` Resource (a CDC source): `database.schema.table`.
 *
 * @public
 */
export const ANNOTATION_DATABASE_TABLE = `${STREAMING_ANNOTATION_PREFIX}/database-table`;

/**
 * On a `database-table` Resource read from a Kafka Connect connector: the
 * database server's host name, as the connector's config names it
 * (`database.hostname`).
 *
 * @public
 */
export const ANNOTATION_DATABASE_HOST = `${STREAMING_ANNOTATION_PREFIX}/database-host`;

/**
 * On a `database-table` Resource read from a Kafka Connect connector: the
 * database server's port (`database.port`).
 *
 * @public
 */
export const ANNOTATION_DATABASE_PORT = `${STREAMING_ANNOTATION_PREFIX}/database-port`;

/**
 * On a `database-table` Resource read from a Kafka Connect connector: the
 * database's name (`database.dbname`).
 *
 * @public
 */
export const ANNOTATION_DATABASE_NAME = `${STREAMING_ANNOTATION_PREFIX}/database-name`;

/**
 * On a `kafka-connector` Resource and the `database-table` Resources it
 * captures: the Kafka Connect cluster, by its name in app-config
 * (`streaming.kafkaConnect.clusters[].name`).
 *
 * @public
 */
export const ANNOTATION_KAFKA_CONNECT_CLUSTER = `${STREAMING_ANNOTATION_PREFIX}/kafka-connect-cluster`;

/**
 * On a `kafka-connector` Resource and the `database-table` Resources it
 * captures: the connector's name on its Kafka Connect cluster, exactly.
 *
 * @public
 */
export const ANNOTATION_KAFKA_CONNECTOR = `${STREAMING_ANNOTATION_PREFIX}/kafka-connector`;

/**
 * On a `kafka-connector` Resource: its `connector.class`, e.g.
 * `io.debezium.connector.postgresql.PostgresConnector`.
 *
 * @public
 */
export const ANNOTATION_KAFKA_CONNECTOR_CLASS = `${STREAMING_ANNOTATION_PREFIX}/kafka-connector-class`;

/**
 * On a Resource the catalog module emits for a pipeline with environments
 * (`pipeline.environments`): the environment(s) whose job reads or writes it,
 * comma-separated in promotion order (`dev`, or `dev,prod` when two
 * environments share it).
 *
 * @public
 */
export const ANNOTATION_ENVIRONMENT = `${STREAMING_ANNOTATION_PREFIX}/environment`;

/**
 * On a pipeline Component: `namespace/name` of its `SparkApplication`, and
 * the Kubernetes cluster it runs on (by its name in app-config).
 *
 * @public
 */
export const ANNOTATION_SPARK_APPLICATION = `${STREAMING_ANNOTATION_PREFIX}/spark-application`;

/** @public */
export const ANNOTATION_KUBERNETES_CLUSTER = `${STREAMING_ANNOTATION_PREFIX}/kubernetes-cluster`;

/**
 * On a pipeline Component: the URL of its operations dashboard, if any.
 *
 * @public
 */
export const ANNOTATION_DASHBOARD_URL = `${STREAMING_ANNOTATION_PREFIX}/dashboard-url`;

/**
 * On a `SparkApplication` the platform applied: the ref of the catalog entity
 * it belongs to. `streaming:sparkApplication:apply` never changes an object
 * that carries another entity's ref, or none.
 *
 * @public
 */
export const ANNOTATION_OWNER_ENTITY = `${STREAMING_ANNOTATION_PREFIX}/owner-entity`;

/*
 * Well-known annotations of Backstage's own plugins are imported from them,
 * not redeclared here: `TECHDOCS_ANNOTATION` (`backstage.io/techdocs-ref`)
 * from `@backstage/plugin-techdocs-common`, `KUBERNETES_ANNOTATION`
 * (`backstage.io/kubernetes-id`) from `@backstage/plugin-kubernetes-common`,
 * `ANNOTATION_LOCATION` and the like from `@backstage/catalog-model`.
 */

/**
 * On a pipeline Component that is read by consumers other than its Spark
 * query: the community Kafka plugin's annotation, a comma-separated list of
 * `clusterId/consumerGroup` (cluster by its name in app-config). Read with
 * {@link parseConsumerGroups}; the plugin publishes no constant for it.
 *
 * @public
 */
export const ANNOTATION_KAFKA_CONSUMER_GROUPS =
  'kafka.apache.org/consumer-groups';

/**
 * On a schema `API` entity read from a schema registry: the registry, by its
 * name in app-config (`streaming.schemaRegistries.<name>`).
 *
 * @public
 */
export const ANNOTATION_SCHEMA_REGISTRY = `${STREAMING_ANNOTATION_PREFIX}/schema-registry`;

/**
 * On a schema `API` entity read from a schema registry: the subject, exactly.
 *
 * @public
 */
export const ANNOTATION_SCHEMA_SUBJECT = `${STREAMING_ANNOTATION_PREFIX}/schema-subject`;

/**
 * On a schema `API` entity read from a schema registry: the subject's version
 * numbers, oldest first, comma-separated (`1,2,3`); `spec.definition` is the
 * last one.
 *
 * @public
 */
export const ANNOTATION_SCHEMA_VERSIONS = `${STREAMING_ANNOTATION_PREFIX}/schema-versions`;

/**
 * On a schema `API` entity read from a schema registry: the registry-wide id
 * of its latest version (the id Confluent's wire format carries).
 *
 * @public
 */
export const ANNOTATION_SCHEMA_ID = `${STREAMING_ANNOTATION_PREFIX}/schema-id`;

/**
 * On a pipeline Component: the version of the registry subject its spec
 * names as the source's schema (else its source topic's `<topic>-value`)
 * the pipeline was built for, a number. The
 * pipeline page compares it with the registry's latest version.
 *
 * @public
 */
export const ANNOTATION_PIPELINE_SCHEMA_VERSION = `${STREAMING_ANNOTATION_PREFIX}/pipeline-schema-version`;
