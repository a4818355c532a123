import { Entity } from '@backstage/catalog-model';
import { kafkaTopicEntityName } from '@internal/plugin-streaming-common';
import { ConnectorInfo } from '@internal/plugin-streaming-node';
import { kafkaConnectorEntities } from './kafkaConnectorEntities';

const base = {
  cluster: 'local',
  clusterUrl: 'http://connect:8083',
  kafkaCluster: 'eu',
  owner: 'group:default/data-platform-team',
};

const debezium = (config: Record<string, string>): ConnectorInfo => ({
  name: 'users-cdc',
  type: 'source',
  config: {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': 'db.internal',
    'database.port': '5432',
    'database.user': 'debezium',
    'database.password': 'hunter2-secret',
    'database.sslpassword': 'ssl-secret',
    'database.dbname': 'accounts',
    'topic.prefix': 'dbserver1',
    ...config,
  },
});

const names = (entities: Entity[]) => entities.map(e => e.metadata.name);

describe('kafkaConnectorEntities', () => {
  it('captures the plain tables of a Debezium include list and the tables of its active topics', () => {
    const entities = kafkaConnectorEntities({
      ...base,
      connector: debezium({
        'table.include.list': 'public.users, public\\.orders,public.audit_.*',
      }),
      activeTopics: ['dbserver1.public.audit_2026', 'dbserver1.transaction'],
    });
    expect(names(entities)).toEqual([
      'connector.local.users-cdc',
      'db.accounts.public.audit_2026',
      'db.accounts.public.orders',
      'db.accounts.public.users',
    ]);
    const [connector, ...tables] = entities;
    expect(connector.spec).toEqual({
      type: 'kafka-connector',
      owner: 'group:default/data-platform-team',
      dependsOn: [
        'resource:default/db.accounts.public.audit_2026',
        'resource:default/db.accounts.public.orders',
        'resource:default/db.accounts.public.users',
      ],
      // Topics on the Connect cluster's Kafka cluster; the transaction topic
      // is written but names no table.
      dependencyOf: [
        'resource:default/topic.eu.dbserver1.public.audit_2026',
        'resource:default/topic.eu.dbserver1.public.orders',
        'resource:default/topic.eu.dbserver1.public.users',
        'resource:default/topic.eu.dbserver1.transaction',
      ],
    });
    expect(tables[2].metadata.annotations).toMatchObject({
      'streaming-platform.dev/database-table': 'accounts.public.users',
      'streaming-platform.dev/database-name': 'accounts',
      'streaming-platform.dev/database-host': 'db.internal',
      'streaming-platform.dev/database-port': '5432',
      'streaming-platform.dev/kafka-connector': 'users-cdc',
      'streaming-platform.dev/kafka-connect-cluster': 'local',
    });
    expect(tables[2].metadata.title).toBe('accounts.public.users');
    const json = JSON.stringify(entities);
    expect(json).not.toContain('hunter2-secret');
    expect(json).not.toContain('ssl-secret');
  });

  it("names a MySQL connector's tables after their own databases, as a pipeline's source.database and source.table do", () => {
    const entities = kafkaConnectorEntities({
      ...base,
      connector: debezium({
        'connector.class': 'io.debezium.connector.mysql.MySqlConnector',
        'database.dbname': '',
        'database.include.list': 'inventory',
        'table.include.list': 'inventory.customers',
      }),
      activeTopics: ['dbserver1.inventory.orders'],
    });
    expect(names(entities)).toEqual([
      'connector.local.users-cdc',
      'db.inventory.customers',
      'db.inventory.orders',
    ]);
    expect(entities[1].metadata.annotations).toMatchObject({
      'streaming-platform.dev/database-table': 'inventory.customers',
      'streaming-platform.dev/database-name': 'inventory',
    });
    expect(entities[0].spec?.dependencyOf).toEqual([
      'resource:default/topic.eu.dbserver1.inventory.customers',
      'resource:default/topic.eu.dbserver1.inventory.orders',
    ]);
  });

  it('links a sink connector to the topics it reads, with no tables', () => {
    const [connector, ...rest] = kafkaConnectorEntities({
      ...base,
      connector: {
        name: 'orders-to-s3',
        type: 'sink',
        config: {
          'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
          topics: 'orders, refunds',
          'aws.secret.access.key': 'aws-secret',
        },
      },
      activeTopics: ['orders', 'Returns'],
    });
    expect(rest).toEqual([]);
    expect(connector.spec).toEqual({
      type: 'kafka-connector',
      owner: 'group:default/data-platform-team',
      dependsOn: [
        // The name the pipeline processor gives a topic that needs a hash.
        `resource:default/${kafkaTopicEntityName('eu', 'Returns')}`,
        'resource:default/topic.eu.orders',
        'resource:default/topic.eu.refunds',
      ],
    });
    expect(kafkaTopicEntityName('eu', 'Returns')).toMatch(
      /^topic\.eu-returns--[0-9a-f]{12}$/,
    );
    expect(connector.metadata.annotations).toMatchObject({
      'streaming-platform.dev/kafka-connector-class':
        'io.confluent.connect.s3.S3SinkConnector',
      'backstage.io/managed-by-location':
        'url:http://connect:8083/connectors/orders-to-s3/status',
    });
    expect(JSON.stringify(connector)).not.toContain('aws-secret');
  });

  it('gives other source connectors their active topics and no tables', () => {
    const entities = kafkaConnectorEntities({
      ...base,
      connector: {
        name: 'files',
        type: 'source',
        config: {
          'connector.class':
            'org.apache.kafka.connect.file.FileStreamSourceConnector',
          'table.include.list': 'public.users',
          'database.dbname': 'accounts',
          'topic.prefix': 'x',
        },
      },
      activeTopics: ['lines'],
    });
    expect(names(entities)).toEqual(['connector.local.files']);
    expect(entities[0].spec).toMatchObject({
      dependsOn: [],
      dependencyOf: ['resource:default/topic.eu.lines'],
    });
  });

  it('claims no lineage for a connector whose class Connect cannot load', () => {
    const [connector] = kafkaConnectorEntities({
      ...base,
      connector: { name: 'broken', type: 'unknown', config: {} },
      activeTopics: ['somewhere'],
    });
    expect(connector.spec).toEqual({
      type: 'kafka-connector',
      owner: 'group:default/data-platform-team',
      dependsOn: [],
    });
    expect(connector.metadata.description).toBe(
      'Kafka Connect connector broken on cluster local (unknown).',
    );
  });
});
