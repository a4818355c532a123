import {
  SchedulerService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KAFKA_TOPIC,
  ANNOTATION_SCHEMA_ID,
  ANNOTATION_SCHEMA_REGISTRY,
  ANNOTATION_SCHEMA_SUBJECT,
  ANNOTATION_SCHEMA_VERSIONS,
} from '@internal/plugin-streaming-common';
import {
  TestSchemaRegistry,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CatalogTestBackend,
  catalogWait,
  startCatalogTestBackend,
} from '../__testUtils__/startCatalogTestBackend';

const avro = (fields: string[]) =>
  JSON.stringify({
    type: 'record',
    name: 'Click',
    fields: fields.map(name => ({ name, type: 'string', default: '' })),
  });

/** A pipeline `name` owned by `owner` reading `topic` into `sink` (a topic or a Delta path). */
function writePipeline(
  dir: string,
  name: string,
  owner: string,
  topic: string,
  sink: { topic: string } | { path: string },
): string {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, 'catalog-info.yaml'),
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    streaming-platform.dev/pipeline-spec: ./pipeline.yaml
spec:
  type: streaming-pipeline
  lifecycle: production
  owner: ${owner}
`,
  );
  const sinkYaml =
    'topic' in sink
      ? `type: kafka\n    topic: ${sink.topic}`
      : `type: delta\n    path: ${sink.path}\n    mode: append`;
  fs.writeFileSync(
    path.join(folder, 'pipeline.yaml'),
    `pipeline:
  name: ${name}
  owner: ${owner}
  source:
    type: kafka
    cluster: local
    topic: ${topic}
    format: json
    fields:
      - { name: page, type: string }
  transformations: []
  sink:
    ${sinkYaml}
    checkpoint: /checkpoints/${name}
  trigger: '10 seconds'
`,
  );
  return path.join(folder, 'catalog-info.yaml');
}

/** The catalog's scheduler: the test backend's runs each task once at startup, then when triggered. */
function schedulerProbe() {
  const probe: { scheduler?: SchedulerService } = {};
  const feature = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-scheduler-probe',
    register(reg) {
      reg.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init({ scheduler }) {
          probe.scheduler = scheduler;
        },
      });
    },
  });
  return { probe, feature };
}

const relationsOf = (entity: Entity, type: string) =>
  (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .sort();

describe('SchemaRegistryEntityProvider with the real catalog and registry', () => {
  let registry: TestSchemaRegistry;
  let backend: CatalogTestBackend | undefined;
  let dir: string;
  const subjects: string[] = [];

  beforeAll(async () => {
    registry = await TestSchemaRegistry.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-provider-'));
  }, 600_000);

  afterAll(async () => {
    await backend?.stop();
    for (const subject of subjects) {
      await registry.client.deleteSubject(subject);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists subjects as API entities linked to their topics and the pipelines that read them', async () => {
    const { client } = registry;
    // clicks: read by `readers` (team-growth), written by nobody.
    // enriched: written by `readers`, so team-growth's; read by `second`.
    const clicks = registry.uniqueTopic('clicks');
    const enriched = registry.uniqueTopic('enriched');
    const loose = registry.uniqueSubject('no-topic').replace(/-value$/, '');
    subjects.push(`${clicks}-value`, `${enriched}-value`, loose);
    await client.register(`${clicks}-value`, avro(['page']), 'AVRO');
    const latestId = await client.register(
      `${clicks}-value`,
      avro(['page', 'referrer']),
      'AVRO',
    );
    await client.register(
      `${enriched}-value`,
      JSON.stringify({
        type: 'object',
        properties: { page: { type: 'string' } },
      }),
      'JSON',
    );
    await client.register(loose, avro(['x']), 'AVRO');

    const readers = `readers-${clicks.split('-').pop()}`;
    const second = `second-${clicks.split('-').pop()}`;
    const locations = [
      writePipeline(dir, readers, 'group:default/team-growth', clicks, {
        topic: enriched,
      }),
      writePipeline(dir, second, 'group:default/team-commerce', enriched, {
        path: `/data/delta/${second}`,
      }),
    ];
    const { probe, feature } = schedulerProbe();
    /** Runs the provider now, as its schedule would. */
    const refresh = () =>
      probe.scheduler!.triggerTask('streaming-schema-registry:test:refresh');
    backend = await startCatalogTestBackend({
      locations,
      features: [feature],
      config: {
        streaming: {
          kafka: { clusters: [{ name: 'local', brokers: ['127.0.0.1:9092'] }] },
          schemaRegistries: { test: { url: registry.url } },
        },
        catalog: {
          rules: [{ allow: ['Component', 'API', 'Resource', 'Location'] }],
          // This key replaces the helper's whole `catalog`: its locations again.
          locations: locations.map(target => ({ type: 'file', target })),
          providers: {
            streamingSchemaRegistry: {
              owner: 'group:default/data-platform-team',
              schedule: { frequency: { minutes: 5 }, timeout: { seconds: 30 } },
            },
          },
        },
      },
    });

    const clicksApi = `api:default/schema-subject.test.${clicks}-value`;
    const enrichedApi = `api:default/schema-subject.test.${enriched}-value`;
    const clicksTopic = `resource:default/topic.local.${clicks}`;
    const enrichedTopic = `resource:default/topic.local.${enriched}`;

    const api = await waitFor(
      'the clicks API with its relations',
      async () => {
        expect(backend!.errors).toEqual([]);
        const entity = await backend!.getEntity(clicksApi);
        return entity &&
          relationsOf(entity, 'apiConsumedBy').length > 0 &&
          relationsOf(entity, 'apiProvidedBy').length > 0
          ? entity
          : undefined;
      },
      catalogWait,
    );
    expect(api.spec).toMatchObject({
      type: 'avro',
      lifecycle: 'production',
      owner: 'group:default/data-platform-team',
    });
    expect(
      JSON.parse(api.spec!.definition as string).fields.map(
        (f: { name: string }) => f.name,
      ),
    ).toEqual(['page', 'referrer']);
    expect(api.metadata.annotations).toMatchObject({
      [ANNOTATION_SCHEMA_REGISTRY]: 'test',
      [ANNOTATION_SCHEMA_SUBJECT]: `${clicks}-value`,
      [ANNOTATION_SCHEMA_VERSIONS]: '1,2',
      [ANNOTATION_SCHEMA_ID]: String(latestId),
      [ANNOTATION_KAFKA_TOPIC]: clicks,
    });
    expect(relationsOf(api, 'apiProvidedBy')).toEqual([clicksTopic]);
    expect(relationsOf(api, 'apiConsumedBy')).toEqual([
      `component:default/${readers}`,
    ]);
    // Both ends keep the relation: the topic provides the API, the reader consumes it.
    const [topic, pipeline] = await waitFor(
      'the topic and the reader',
      async () => {
        const both = await backend!.getEntitiesByRefs([
          clicksTopic,
          `component:default/${readers}`,
        ]);
        return both.every(e =>
          e?.relations?.some(r => r.targetRef === clicksApi),
        )
          ? (both as Entity[])
          : undefined;
      },
      catalogWait,
    );
    expect(relationsOf(topic, 'providesApi')).toEqual([clicksApi]);
    expect(relationsOf(pipeline, 'consumesApi')).toEqual([clicksApi]);

    // A topic a pipeline writes gives its owner to the topic's schema.
    const enrichedEntity = await waitFor(
      'the enriched API',
      async () => {
        await refresh();
        const entity = await backend!.getEntity(enrichedApi);
        return entity?.spec?.owner === 'group:default/team-growth' &&
          relationsOf(entity, 'apiConsumedBy').length > 0
          ? entity
          : undefined;
      },
      catalogWait,
    );
    expect(enrichedEntity.spec?.type).toBe('json-schema');
    expect(relationsOf(enrichedEntity, 'apiProvidedBy')).toEqual([
      enrichedTopic,
    ]);
    expect(relationsOf(enrichedEntity, 'apiConsumedBy')).toEqual([
      `component:default/${second}`,
    ]);

    // A subject that names no topic is listed, with no topic and no relation.
    const looseApi = await backend.getEntity(
      `api:default/schema-subject.test.${loose}`,
    );
    expect(looseApi?.metadata.annotations?.[ANNOTATION_KAFKA_TOPIC]).toBe(
      undefined,
    );
    expect(looseApi?.relations?.filter(r => r.type !== 'ownedBy')).toEqual([]);

    // A new version shows on the next run.
    await client.register(
      `${clicks}-value`,
      avro(['page', 'referrer', 'country']),
      'AVRO',
    );
    await waitFor(
      'version 3',
      async () => {
        await refresh();
        const entity = await backend!.getEntity(clicksApi);
        return entity?.metadata.annotations?.[ANNOTATION_SCHEMA_VERSIONS] ===
          '1,2,3'
          ? entity
          : undefined;
      },
      catalogWait,
    );
  }, 300_000);
});
