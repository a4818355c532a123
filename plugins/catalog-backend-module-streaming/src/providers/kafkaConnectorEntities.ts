import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  ANNOTATION_DATABASE_HOST,
  ANNOTATION_DATABASE_NAME,
  ANNOTATION_DATABASE_PORT,
  ANNOTATION_DATABASE_TABLE,
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KAFKA_CONNECT_CLUSTER,
  ANNOTATION_KAFKA_CONNECTOR,
  ANNOTATION_KAFKA_CONNECTOR_CLASS,
  ENTITY_TYPE_DATABASE_TABLE,
  ENTITY_TYPE_KAFKA_CONNECTOR,
  databaseTableEntityName,
  kafkaConnectorEntityName,
  kafkaTopicEntityName,
} from '@internal/plugin-streaming-common';
import {
  ConnectorInfo,
  debeziumCapture,
  isDebeziumConnector,
} from '@internal/plugin-streaming-node';

/**
 * The only config keys of a connector this module reads, besides those of
 * Debezium's topic naming that `debeziumCapture` reads (`connector.class`,
 * `topic.prefix`, `table.include.list`, `database.dbname`,
 * `database.names`). Everything else
 * (`database.password`, `database.sslpassword`, SASL settings, keys a plugin
 * marks as PASSWORD) never reaches an entity.
 */
const KEYS = {
  connectorClass: 'connector.class',
  host: 'database.hostname',
  port: 'database.port',
  sinkTopics: 'topics',
} as const;

const resourceRef = (name: string) => `resource:default/${name}`;

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map(item => item.trim())
    .filter(item => item.length > 0);

export interface KafkaConnectorEntitiesOptions {
  /** The Kafka Connect cluster, by its name in app-config. */
  cluster: string;
  /** Its REST API's base URL, for the entities' location. */
  clusterUrl: string;
  /** The Kafka cluster its connectors use, by its name in app-config. */
  kafkaCluster: string;
  connector: ConnectorInfo;
  /** The topics Connect's topic tracking reports for the connector. */
  activeTopics: string[];
  /** Owner (full entity ref) of the connector and the tables it captures. */
  owner: string;
}

/**
 * The `kafka-connector` Resource of a Kafka Connect connector and, for a
 * Debezium source, a `database-table` Resource per table it captures, with
 * the lineage as the catalog's built-in relations (`spec.dependsOn`,
 * `spec.dependencyOf`) in the direction the data flows: table, connector,
 * topic for a source; topic, connector for a sink. Topic refs are the ones
 * the pipeline processor gives the same topics, so the chain continues into
 * the pipelines that read them. Only the keys of {@link KEYS} are read from
 * the connector's config. Pure: same input, same output.
 */
export function kafkaConnectorEntities(
  options: KafkaConnectorEntitiesOptions,
): Entity[] {
  const { cluster, clusterUrl, kafkaCluster, connector, activeTopics, owner } =
    options;
  const { config } = connector;
  const connectorClass = config[KEYS.connectorClass] ?? 'unknown';
  // The connector's status, not its config: "View source" must not lead to
  // a page that shows the connector's passwords.
  const location = `url:${clusterUrl}/connectors/${encodeURIComponent(
    connector.name,
  )}/status`;
  const locationAnnotations = {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
  };
  const connectorAnnotations = {
    [ANNOTATION_KAFKA_CONNECT_CLUSTER]: cluster,
    [ANNOTATION_KAFKA_CONNECTOR]: connector.name,
  };

  const capture = debeziumCapture(connector, activeTopics);
  const topics = new Set([...activeTopics, ...capture.topics]);
  if (connector.type === 'sink') {
    list(config[KEYS.sinkTopics]).forEach(topic => topics.add(topic));
  }
  const topicRefs = [...topics]
    .sort()
    .map(topic => resourceRef(kafkaTopicEntityName(kafkaCluster, topic)));
  // A database-table entity is named after its database: none without one.
  const tableEntities: Entity[] = capture.tables.flatMap(
    ({ database, table }) => {
      if (!database) return [];
      const physical = `${database}.${table}`;
      const host = config[KEYS.host];
      const port = config[KEYS.port];
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: databaseTableEntityName(database, table),
          title: physical,
          description: `Database table ${table} of ${database}${
            host ? ` on ${host}${port ? `:${port}` : ''}` : ''
          }, captured by Kafka Connect connector ${
            connector.name
          } (cluster ${cluster}).`,
          annotations: {
            ...locationAnnotations,
            [ANNOTATION_DATABASE_TABLE]: physical,
            [ANNOTATION_DATABASE_NAME]: database,
            ...(host ? { [ANNOTATION_DATABASE_HOST]: host } : {}),
            ...(port ? { [ANNOTATION_DATABASE_PORT]: port } : {}),
            ...connectorAnnotations,
          },
          tags: ['database', 'cdc'],
        },
        spec: { type: ENTITY_TYPE_DATABASE_TABLE, owner },
      };
    },
  );

  // A source feeds its topics from its tables; a sink is fed by its topics;
  // a connector whose class Connect cannot load says neither.
  const lineage =
    connector.type === 'source'
      ? {
          dependsOn: tableEntities.map(table =>
            resourceRef(table.metadata.name),
          ),
          dependencyOf: topicRefs,
        }
      : { dependsOn: connector.type === 'sink' ? topicRefs : [] };
  const connectorEntity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: kafkaConnectorEntityName(cluster, connector.name),
      title: connector.name,
      description: `Kafka Connect ${
        connector.type === 'unknown' ? '' : `${connector.type} `
      }connector ${connector.name} on cluster ${cluster} (${connectorClass}).`,
      annotations: {
        ...locationAnnotations,
        ...connectorAnnotations,
        [ANNOTATION_KAFKA_CONNECTOR_CLASS]: connectorClass,
        [ANNOTATION_KAFKA_CLUSTER]: kafkaCluster,
      },
      tags: [
        'kafka-connect',
        ...(connector.type === 'unknown' ? [] : [connector.type]),
        ...(isDebeziumConnector(connector) ? ['debezium'] : []),
      ],
    },
    spec: {
      type: ENTITY_TYPE_KAFKA_CONNECTOR,
      owner,
      ...lineage,
    },
  };
  return [connectorEntity, ...tableEntities];
}
