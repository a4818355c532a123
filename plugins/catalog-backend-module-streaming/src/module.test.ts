import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KAFKA_TOPIC,
  ANNOTATION_DELTA_PATH,
  ANNOTATION_DATABASE_TABLE,
  ANNOTATION_ELASTICSEARCH_INDEX,
  ANNOTATION_ELASTICSEARCH_NODES,
  ANNOTATION_PIPELINE_SUMMARY,
  PipelineSummary,
  parsePipelineSpec,
  schemaEntityName,
  toPipelineSummary,
  walkLineage,
} from '@internal/plugin-streaming-common';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '@internal/plugin-streaming-node/testUtils';
import {
  CatalogTestBackend,
  catalogWait,
  startCatalogTestBackend,
} from './__testUtils__/startCatalogTestBackend';

const examples = path.resolve(__dirname, '../../../examples');
const schemaFile = (pipeline: string, file: string) =>
  path.join(examples, 'pipelines', pipeline, 'schemas', file);
const userEventSchema = `api:default/${schemaEntityName(
  schemaFile('user-events', 'user_event.avsc'),
)}`;
const orderSchema = `api:default/${schemaEntityName(
  schemaFile('order-stream', 'order.schema.json'),
)}`;

/** Every entity the examples produce besides Locations, with its type. */
const expectedEntities: Record<string, string | undefined> = {
  'system:default/data-platform': undefined,
  'component:default/user-events': 'streaming-pipeline',
  'component:default/order-stream': 'streaming-pipeline',
  'component:default/clickstream': 'streaming-pipeline',
  'component:default/cdc-postgres-users': 'streaming-pipeline',
  'component:default/log-analytics': 'streaming-pipeline',
  'resource:default/topic.local.events': 'kafka-topic',
  'resource:default/topic.local.orders': 'kafka-topic',
  'resource:default/topic.local.clicks': 'kafka-topic',
  'resource:default/topic.local.dbserver1.public.users': 'kafka-topic',
  'resource:default/topic.local.app-logs': 'kafka-topic',
  'resource:default/topic.local.events.dead-letter': 'kafka-topic',
  'resource:default/delta.data.delta.event_summary': 'delta-table',
  'resource:default/delta.data.delta.order_facts': 'delta-table',
  'resource:default/delta.data.delta.click_agg': 'delta-table',
  'resource:default/delta.data.delta.users_cdc': 'delta-table',
  'resource:default/es.app-logs-errors': 'elasticsearch-index',
  'resource:default/db.accounts.public.users': 'database-table',
  [userEventSchema]: 'avro',
  [orderSchema]: 'json-schema',
};

/** [upstream, downstream]: downstream dependsOn upstream. */
const expectedLineage: Array<[string, string]> = [
  ['resource:default/topic.local.events', 'component:default/user-events'],
  [
    'component:default/user-events',
    'resource:default/delta.data.delta.event_summary',
  ],
  // Records of events that do not parse go to its dead-letter topic.
  [
    'component:default/user-events',
    'resource:default/topic.local.events.dead-letter',
  ],
  ['resource:default/topic.local.orders', 'component:default/order-stream'],
  [
    'component:default/order-stream',
    'resource:default/delta.data.delta.order_facts',
  ],
  ['resource:default/topic.local.clicks', 'component:default/clickstream'],
  [
    'component:default/clickstream',
    'resource:default/delta.data.delta.click_agg',
  ],
  [
    'resource:default/db.accounts.public.users',
    'resource:default/topic.local.dbserver1.public.users',
  ],
  [
    'resource:default/topic.local.dbserver1.public.users',
    'component:default/cdc-postgres-users',
  ],
  [
    'component:default/cdc-postgres-users',
    'resource:default/delta.data.delta.users_cdc',
  ],
  ['resource:default/topic.local.app-logs', 'component:default/log-analytics'],
  ['component:default/log-analytics', 'resource:default/es.app-logs-errors'],
];

const expectedApis: Array<[string, string]> = [
  ['component:default/user-events', userEventSchema],
  ['component:default/order-stream', orderSchema],
];

const owners: Record<string, string> = {
  'user-events': 'group:default/team-growth',
  'order-stream': 'group:default/team-commerce',
  clickstream: 'group:default/team-growth',
  'cdc-postgres-users': 'group:default/team-accounts',
  'log-analytics': 'group:default/team-sre',
};

const STREAMING_RELATIONS = [
  'dependsOn',
  'dependencyOf',
  'consumesApi',
  'apiConsumedBy',
  'providesApi',
  'apiProvidedBy',
];

function lineageRelations(entities: Entity[]): string[] {
  return entities
    .flatMap(entity =>
      (entity.relations ?? [])
        .filter(r => STREAMING_RELATIONS.includes(r.type))
        .map(r => `${stringifyEntityRef(entity)} ${r.type} ${r.targetRef}`),
    )
    .sort();
}

// The real catalog backend starts and ingests in each suite; generous on a busy 2-core machine.
jest.setTimeout(180_000);

describe('catalogModuleStreaming with the real catalog on SQLite', () => {
  let catalog: CatalogTestBackend;
  let entities: Entity[];

  beforeAll(async () => {
    catalog = await startCatalogTestBackend({
      locations: [path.join(examples, 'catalog-info.yaml')],
    });
    const wanted = Object.keys(expectedEntities);
    entities = await waitFor(
      'the examples to be stitched',
      async () => {
        const all = await catalog.listEntities();
        const byRef = new Map(all.map(e => [stringifyEntityRef(e), e]));
        const complete = wanted.every(ref => byRef.has(ref));
        // Stitched: every relation both ways, on both ends.
        const relations = lineageRelations(all);
        return complete &&
          relations.length ===
            expectedLineage.length * 2 + expectedApis.length * 2
          ? all
          : undefined;
      },
      catalogWait,
    );
  });

  afterAll(() => catalog.stop());

  it('produces exactly the expected entities', () => {
    const refs = entities
      .filter(e => e.kind !== 'Location')
      .map(e => stringifyEntityRef(e))
      .sort();
    expect(refs).toEqual(Object.keys(expectedEntities).sort());
    const types = Object.fromEntries(
      entities
        .filter(e => e.kind !== 'Location')
        .map(e => [stringifyEntityRef(e), e.spec?.type]),
    );
    expect(types).toEqual(expectedEntities);
    expect(catalog.errors).toEqual([]);
  });

  it('produces exactly the expected relations, both directions', () => {
    const expected = [
      ...expectedLineage.flatMap(([up, down]) => [
        `${down} dependsOn ${up}`,
        `${up} dependencyOf ${down}`,
      ]),
      ...expectedApis.flatMap(([pipeline, api]) => [
        `${pipeline} consumesApi ${api}`,
        `${api} apiConsumedBy ${pipeline}`,
      ]),
    ].sort();
    expect(lineageRelations(entities)).toEqual(expected);
  });

  it('keeps physical names in annotations, owner/system from the writing pipeline', () => {
    const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
    const cdcTopic = byRef.get(
      'resource:default/topic.local.dbserver1.public.users',
    )!;
    expect(cdcTopic.metadata.annotations).toMatchObject({
      [ANNOTATION_KAFKA_TOPIC]: 'dbserver1.public.users',
      [ANNOTATION_KAFKA_CLUSTER]: 'local',
    });
    // Read, not written, by the pipeline: the configured input owner's.
    expect(cdcTopic.spec).toEqual({
      type: 'kafka-topic',
      owner: 'group:default/unknown',
    });
    expect(
      byRef.get('resource:default/delta.data.delta.event_summary')!.metadata
        .annotations?.[ANNOTATION_DELTA_PATH],
    ).toBe('/data/delta/event_summary');
    expect(
      byRef.get('resource:default/db.accounts.public.users')!.metadata
        .annotations?.[ANNOTATION_DATABASE_TABLE],
    ).toBe('accounts.public.users');
    const index = byRef.get('resource:default/es.app-logs-errors')!;
    expect(index.metadata.annotations?.[ANNOTATION_ELASTICSEARCH_INDEX]).toBe(
      'app-logs-errors',
    );
    expect(index.metadata.annotations?.[ANNOTATION_ELASTICSEARCH_NODES]).toBe(
      'http://localhost:9200',
    );
    expect(index.spec?.owner).toBe(owners['log-analytics']);
    for (const entity of entities.filter(e => e.kind === 'Resource')) {
      expect(entity.relations).toContainEqual({
        type: 'ownedBy',
        targetRef: entity.spec?.owner,
      });
    }
  });

  it('uses the schema files as API definitions', () => {
    const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
    expect(byRef.get(userEventSchema)!.spec?.definition).toBe(
      fs.readFileSync(schemaFile('user-events', 'user_event.avsc'), 'utf8'),
    );
    expect(byRef.get(orderSchema)!.spec).toMatchObject({
      type: 'json-schema',
      owner: owners['order-stream'],
      definition: fs.readFileSync(
        schemaFile('order-stream', 'order.schema.json'),
        'utf8',
      ),
    });
  });

  it('writes the pipeline summary and Kafka cluster onto each pipeline', () => {
    for (const name of Object.keys(owners)) {
      const pipeline = entities.find(
        e => e.kind === 'Component' && e.metadata.name === name,
      )!;
      const text = fs.readFileSync(
        path.join(examples, 'pipelines', name, 'pipeline.yaml'),
        'utf8',
      );
      const summary: PipelineSummary = JSON.parse(
        pipeline.metadata.annotations![ANNOTATION_PIPELINE_SUMMARY],
      );
      expect(summary).toEqual(toPipelineSummary(parsePipelineSpec(text).spec!));
      expect(pipeline.metadata.annotations![ANNOTATION_KAFKA_CLUSTER]).toBe(
        'local',
      );
    }
  });

  it('walks downstream from the events topic exactly', async () => {
    const graph = await walkLineage({
      from: 'resource:default/topic.local.events',
      direction: 'downstream',
      fetchEntities: catalog.getEntitiesByRefs,
    });
    expect(graph.nodes.map(n => [n.entityRef, n.depth])).toEqual([
      ['resource:default/topic.local.events', 0],
      ['component:default/user-events', 1],
      ['resource:default/delta.data.delta.event_summary', 2],
      ['resource:default/topic.local.events.dead-letter', 2],
    ]);
    expect(graph.edges).toEqual([
      {
        from: 'resource:default/topic.local.events',
        to: 'component:default/user-events',
      },
      {
        from: 'component:default/user-events',
        to: 'resource:default/delta.data.delta.event_summary',
      },
      {
        from: 'component:default/user-events',
        to: 'resource:default/topic.local.events.dead-letter',
      },
    ]);
    expect(graph.truncated).toBe(false);
  });

  it('answers "who reads this topic" with one catalog query', async () => {
    const { items } = await catalog.request<{ items: Entity[] }>(
      `/entities/by-query?filter=${encodeURIComponent(
        'relations.dependsOn=resource:default/topic.local.events',
      )}`,
    );
    expect(items.map(e => stringifyEntityRef(e))).toEqual([
      'component:default/user-events',
    ]);
  });

  it('walks upstream from the CDC table to the database table', async () => {
    const graph = await walkLineage({
      from: 'resource:default/delta.data.delta.users_cdc',
      direction: 'upstream',
      fetchEntities: catalog.getEntitiesByRefs,
    });
    expect(graph.nodes.map(n => n.entityRef)).toEqual([
      'resource:default/delta.data.delta.users_cdc',
      'component:default/cdc-postgres-users',
      'resource:default/topic.local.dbserver1.public.users',
      'resource:default/db.accounts.public.users',
    ]);
  });
});
