import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRelationSpec } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_DELTA_PATH,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KAFKA_TOPIC,
  PipelineSpec,
  deltaTableEntityName,
  kafkaTopicEntityName,
  parsePipelineSpec,
} from '@internal/plugin-streaming-common';
import yaml from 'yaml';
import { buildPipelineEntities } from './buildPipelineEntities';

const pipeline: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'silver-orders', namespace: 'commerce' },
  spec: {
    type: 'streaming-pipeline',
    owner: 'team-commerce',
    system: 'lakehouse',
    lifecycle: 'production',
  },
};

function spec(pipelineSpec: Record<string, unknown>): PipelineSpec {
  const { spec: parsed, errors } = parsePipelineSpec(
    yaml.stringify({ pipeline: pipelineSpec }),
  );
  expect(errors).toEqual([]);
  return parsed!;
}

const relationText = (relations: EntityRelationSpec[]) =>
  relations
    .map(
      r =>
        `${stringifyEntityRef(r.source)} ${r.type} ${stringifyEntityRef(
          r.target,
        )}`,
    )
    .sort();

describe('buildPipelineEntities', () => {
  it('reads a Delta table, joins another, writes a Kafka topic on the default cluster', () => {
    const { entities, relations } = buildPipelineEntities({
      pipeline,
      defaultCluster: 'main',
      inputOwner: 'group:default/data-platform',
      schemas: [],
      spec: spec({
        name: 'silver-orders',
        source: { type: 'delta', path: 's3a://lake/bronze/orders' },
        transformations: [
          {
            type: 'join',
            table: { path: 's3a://lake/dim/customers' },
            on: ['customer_id'],
          },
          {
            type: 'join',
            table: { format: 'parquet', path: 's3a://lake/raw/fx' },
            on: ['currency'],
          },
          {
            type: 'join',
            table: { path: 's3a://lake/bronze/orders/' },
            on: ['order_id'],
          },
        ],
        sink: {
          type: 'kafka',
          topic: 'Orders.Silver',
          checkpoint: 's3a://lake/_checkpoints/silver-orders',
        },
      }),
    });

    const outputTopic = entities.find(e => e.role === 'output')!.entity;
    expect(outputTopic.metadata.name).toMatch(
      /^topic\.main-orders-silver--[0-9a-f]{12}$/,
    );
    expect(outputTopic.metadata.annotations).toEqual({
      'streaming-platform.dev/kafka-topic': 'Orders.Silver',
      'streaming-platform.dev/kafka-cluster': 'main',
    });
    expect(outputTopic.spec).toEqual({
      type: 'kafka-topic',
      owner: 'group:commerce/team-commerce',
      system: 'system:commerce/lakehouse',
    });
    // What it only reads carries no claim of this pipeline's owner or system.
    for (const input of entities.filter(e => e.role === 'input')) {
      expect(input.entity.spec).toEqual({
        type: 'delta-table',
        owner: 'group:default/data-platform',
      });
    }
    expect(
      entities.map(e => `${e.role} ${stringifyEntityRef(e.entity)}`),
    ).toEqual([
      'input resource:default/delta-s3a.lake.bronze.orders',
      'input resource:default/delta-s3a.lake.dim.customers',
      `output resource:default/${outputTopic.metadata.name}`,
    ]);

    const self = 'component:commerce/silver-orders';
    expect(relationText(relations)).toEqual(
      [
        `${self} dependsOn resource:default/delta-s3a.lake.bronze.orders`,
        `resource:default/delta-s3a.lake.bronze.orders dependencyOf ${self}`,
        `${self} dependsOn resource:default/delta-s3a.lake.dim.customers`,
        `resource:default/delta-s3a.lake.dim.customers dependencyOf ${self}`,
        `resource:default/${outputTopic.metadata.name} dependsOn ${self}`,
        `${self} dependencyOf resource:default/${outputTopic.metadata.name}`,
      ].sort(),
    );
  });

  it('emits the dead-letter topic or table as an output of the pipeline, like its sink', () => {
    const self = 'component:commerce/silver-orders';
    for (const [deadLetter, name] of [
      [
        { type: 'kafka', topic: 'orders.dead-letter' },
        kafkaTopicEntityName('east', 'orders.dead-letter'),
      ],
      [
        { type: 'delta', path: 's3a://lake/quarantine/orders' },
        deltaTableEntityName('s3a://lake/quarantine/orders'),
      ],
    ] as const) {
      const { entities, relations } = buildPipelineEntities({
        pipeline,
        defaultCluster: 'main',
        inputOwner: 'group:default/data-platform',
        schemas: [],
        spec: spec({
          name: 'silver-orders',
          source: {
            type: 'kafka',
            cluster: 'east',
            topic: 'orders',
            fields: [{ name: 'id', type: 'long' }],
          },
          sink: {
            type: 'delta',
            path: 's3a://lake/silver/orders',
            checkpoint: 's3a://lake/_checkpoints/silver-orders',
          },
          dead_letter: deadLetter,
        }),
      });
      const outputs = entities.filter(e => e.role === 'output');
      expect(outputs).toHaveLength(2);
      const target = outputs.find(e => e.entity.metadata.name === name)!;
      expect(target.entity.spec).toEqual({
        type: deadLetter.type === 'kafka' ? 'kafka-topic' : 'delta-table',
        owner: 'group:commerce/team-commerce',
        system: 'system:commerce/lakehouse',
      });
      const ref = stringifyEntityRef(target.entity);
      expect(relationText(relations)).toEqual(
        expect.arrayContaining([
          `${ref} dependsOn ${self}`,
          `${self} dependencyOf ${ref}`,
        ]),
      );
    }
  });

  it('emits only the topic for a CDC source without a table', () => {
    const cdc = buildPipelineEntities({
      pipeline,
      defaultCluster: 'main',
      inputOwner: 'group:default/unknown',
      schemas: [],
      spec: spec({
        name: 'cdc',
        source: {
          type: 'debezium',
          topic: 'pg1.public.users',
          key: ['id'],
          fields: [{ name: 'id', type: 'long' }],
        },
        sink: {
          type: 'delta',
          path: '/lake/users',
          mode: 'merge',
          merge_keys: ['id'],
          checkpoint: '/checkpoints/cdc',
        },
      }),
    });
    expect(cdc.entities.map(e => e.entity.metadata.name)).toEqual([
      'topic.main.pg1.public.users',
      'delta.lake.users',
    ]);
  });

  it('names the search cluster of an index on a named cluster, and the nodes of one on node URLs', () => {
    const index = (target: Record<string, string>) =>
      buildPipelineEntities({
        pipeline,
        defaultCluster: 'main',
        inputOwner: 'group:default/unknown',
        schemas: [],
        spec: spec({
          name: 'app-logs',
          source: {
            type: 'kafka',
            topic: 'app-logs',
            fields: [{ name: 'message', type: 'string' }],
          },
          sink: {
            type: 'elasticsearch',
            index: 'app-logs',
            checkpoint: '/checkpoints/app-logs',
            ...target,
          },
        }),
      }).entities.find(e => e.role === 'output')!.entity;
    const onCluster = index({ cluster: 'logs-eu' });
    expect(onCluster.metadata.name).toBe('es.app-logs');
    expect(onCluster.metadata.description).toBe(
      'Elasticsearch index app-logs on search cluster logs-eu.',
    );
    expect(onCluster.metadata.annotations).toEqual({
      'streaming-platform.dev/elasticsearch-index': 'app-logs',
      'streaming-platform.dev/elasticsearch-cluster': 'logs-eu',
    });
    expect(
      index({ nodes: 'http://es-1:9200,http://es-2:9200' }).metadata
        .annotations,
    ).toEqual({
      'streaming-platform.dev/elasticsearch-index': 'app-logs',
      'streaming-platform.dev/elasticsearch-nodes':
        'http://es-1:9200,http://es-2:9200',
    });
  });

  it("emits every environment's topics and tables, each annotated with its environments, with the pipeline between its inputs and outputs", () => {
    const { entities, relations } = buildPipelineEntities({
      pipeline,
      defaultCluster: 'main',
      inputOwner: 'group:default/data-platform',
      schemas: [],
      spec: spec({
        name: 'silver-orders',
        source: {
          type: 'kafka',
          cluster: 'east',
          topic: 'orders',
          fields: [{ name: 'id', type: 'long' }],
        },
        transformations: [
          {
            type: 'join',
            table: { path: 's3a://lake/dim/customers' },
            on: ['id'],
          },
        ],
        sink: {
          type: 'delta',
          path: 's3a://lake/silver/orders',
          checkpoint: 's3a://lake/_checkpoints/silver-orders',
        },
        dead_letter: { type: 'kafka', topic: 'orders.dead-letter' },
        environments: [
          {
            name: 'dev',
            kafka_cluster: 'dev-kafka',
            namespace: 'streaming-dev',
            topic_prefix: 'dev.',
            table_prefix: 'dev_',
          },
          { name: 'prod', namespace: 'streaming' },
        ],
      }),
    });

    const self = 'component:commerce/silver-orders';
    const ref = (name: string) => `resource:default/${name}`;
    const inputs = {
      dev: [
        kafkaTopicEntityName('dev-kafka', 'dev.orders'),
        deltaTableEntityName('s3a://lake/dim/dev_customers'),
      ],
      prod: [
        kafkaTopicEntityName('east', 'orders'),
        deltaTableEntityName('s3a://lake/dim/customers'),
      ],
    };
    const outputs = {
      dev: [
        deltaTableEntityName('s3a://lake/silver/dev_orders'),
        kafkaTopicEntityName('dev-kafka', 'dev.orders.dead-letter'),
      ],
      prod: [
        deltaTableEntityName('s3a://lake/silver/orders'),
        kafkaTopicEntityName('east', 'orders.dead-letter'),
      ],
    };

    const byName = new Map(entities.map(e => [e.entity.metadata.name, e]));
    expect(byName.size).toBe(entities.length);
    expect([...byName.keys()].sort()).toEqual(
      [...inputs.dev, ...inputs.prod, ...outputs.dev, ...outputs.prod].sort(),
    );
    for (const environment of ['dev', 'prod'] as const) {
      for (const name of inputs[environment]) {
        expect(byName.get(name)!.role).toBe('input');
      }
      for (const name of outputs[environment]) {
        expect(byName.get(name)!.role).toBe('output');
      }
      for (const name of [...inputs[environment], ...outputs[environment]]) {
        expect(
          byName.get(name)!.entity.metadata.annotations?.[
            ANNOTATION_ENVIRONMENT
          ],
        ).toBe(environment);
      }
    }
    expect(
      byName.get(kafkaTopicEntityName('dev-kafka', 'dev.orders'))!.entity
        .metadata.annotations,
    ).toMatchObject({
      [ANNOTATION_KAFKA_TOPIC]: 'dev.orders',
      [ANNOTATION_KAFKA_CLUSTER]: 'dev-kafka',
    });
    expect(
      byName.get(deltaTableEntityName('s3a://lake/silver/dev_orders'))!.entity
        .metadata.annotations,
    ).toMatchObject({
      [ANNOTATION_DELTA_PATH]: 's3a://lake/silver/dev_orders',
    });

    expect(relationText(relations)).toEqual(
      [
        ...[...inputs.dev, ...inputs.prod].flatMap(name => [
          `${self} dependsOn ${ref(name)}`,
          `${ref(name)} dependencyOf ${self}`,
        ]),
        ...[...outputs.dev, ...outputs.prod].flatMap(name => [
          `${ref(name)} dependsOn ${self}`,
          `${self} dependencyOf ${ref(name)}`,
        ]),
      ].sort(),
    );
  });

  it('emits a Resource two environments share once, naming both', () => {
    const { entities } = buildPipelineEntities({
      pipeline,
      defaultCluster: 'main',
      inputOwner: 'group:default/data-platform',
      schemas: [],
      spec: spec({
        name: 'silver-orders',
        source: {
          type: 'kafka',
          topic: 'orders',
          fields: [{ name: 'id', type: 'long' }],
        },
        sink: {
          type: 'delta',
          path: '/lake/silver/orders',
          checkpoint: '/checkpoints/silver-orders',
        },
        environments: [
          { name: 'staging', namespace: 'staging', table_prefix: 'stg_' },
          { name: 'prod', namespace: 'streaming' },
        ],
      }),
    });
    // No topic prefix: both environments read the same topic.
    const topics = entities.filter(e => e.entity.spec?.type === 'kafka-topic');
    expect(topics.map(e => e.entity.metadata.name)).toEqual([
      kafkaTopicEntityName('main', 'orders'),
    ]);
    expect(
      topics[0].entity.metadata.annotations?.[ANNOTATION_ENVIRONMENT],
    ).toBe('staging,prod');
    expect(
      entities
        .filter(e => e.role === 'output')
        .map(e => e.entity.metadata.annotations?.[ANNOTATION_DELTA_PATH]),
    ).toEqual(['/lake/silver/stg_orders', '/lake/silver/orders']);
  });
});
