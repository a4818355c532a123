import { createMockDirectory } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  ANNOTATION_ELASTICSEARCH_CLUSTER,
  ANNOTATION_ELASTICSEARCH_INDEX,
  ANNOTATION_ELASTICSEARCH_NODES,
  ANNOTATION_PIPELINE_SCHEMA_VERSION,
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_PIPELINE_SUMMARY_LOCATION,
  parsePipelineSpec,
  registrySchemaFile,
  toPipelineSummary,
  walkLineage,
} from '@internal/plugin-streaming-common';
import { waitFor } from '@internal/plugin-streaming-node/testUtils';
import {
  CatalogTestBackend,
  catalogWait,
  startCatalogTestBackend,
} from '../__testUtils__/startCatalogTestBackend';

const examples = path.resolve(__dirname, '../../../../examples');
const goodSpec = fs.readFileSync(
  path.join(examples, 'pipelines/user-events/pipeline.yaml'),
  'utf8',
);
const goodSchema = fs.readFileSync(
  path.join(examples, 'pipelines/user-events/schemas/user_event.avsc'),
  'utf8',
);

/** The good spec with `edit` applied to its parsed form. */
function specWith(edit: (pipeline: Record<string, any>) => void): string {
  const doc = yaml.parse(goodSpec);
  edit(doc.pipeline);
  return yaml.stringify(doc);
}

function catalogInfo(
  name: string,
  specPath = './pipeline.yaml',
  owner = 'team-growth',
): string {
  return yaml.stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: { 'streaming-platform.dev/pipeline-spec': specPath },
    },
    spec: {
      type: 'streaming-pipeline',
      lifecycle: 'production',
      owner,
    },
  });
}

interface BadCase {
  name: string;
  /** Files of the pipeline's folder besides catalog-info.yaml. */
  files: Record<string, string>;
  specPath?: string;
  owner?: string;
  /** Errors of the catalog's own processors that follow ours. */
  laterErrors?: RegExp[];
  /** What the entity's error says, in part. */
  error: RegExp;
  setup?: (dir: string) => void;
}

const badCases: BadCase[] = [
  {
    name: 'missing-spec',
    files: {},
    error: /could not read \.\/pipeline\.yaml: .* does not exist/,
  },
  {
    name: 'escaping-spec-path',
    files: {},
    specPath: '../missing-spec/pipeline.yaml',
    error: /must be a relative path .* without "\.\." segments/,
  },
  {
    name: 'absolute-spec-path',
    files: {},
    specPath: '/etc/passwd',
    error: /must be a relative path/,
  },
  {
    name: 'url-spec-path',
    files: {},
    specPath: 'https://example.com/pipeline.yaml',
    error: /must be a relative path/,
  },
  {
    name: 'symlink-outside',
    files: {},
    setup: dir =>
      fs.symlinkSync(
        path.join(examples, 'pipelines/user-events/pipeline.yaml'),
        path.join(dir, 'pipeline.yaml'),
      ),
    error: /leads outside/,
  },
  {
    name: 'spec-is-folder',
    files: { 'pipeline.yaml/x': 'x' },
    error: /is not a file/,
  },
  {
    name: 'invalid-yaml',
    files: { 'pipeline.yaml': 'pipeline: [unclosed\n' },
    error: /invalid YAML/,
  },
  { name: 'empty-spec', files: { 'pipeline.yaml': '' }, error: /\(document\)/ },
  {
    name: 'not-a-mapping',
    files: { 'pipeline.yaml': '- a\n- b\n' },
    error: /\(document\)/,
  },
  {
    name: 'duplicate-keys',
    files: { 'pipeline.yaml': `${goodSpec}\npipeline: {}\n` },
    error: /invalid YAML/,
  },
  {
    name: 'no-name',
    files: { 'pipeline.yaml': specWith(p => delete p.name) },
    error: /pipeline\.name/,
  },
  {
    name: 'bad-name',
    files: { 'pipeline.yaml': specWith(p => (p.name = 'User Events')) },
    error:
      /pipeline\.name: expected a Kubernetes name.* \(line \d+, column \d+\)/,
  },
  {
    name: 'unknown-source-type',
    files: { 'pipeline.yaml': specWith(p => (p.source.type = 'kafak')) },
    error: /pipeline\.source\.type.*kafka/,
  },
  {
    name: 'unknown-step',
    files: {
      'pipeline.yaml': specWith(p => (p.transformations[0].type = 'fliter')),
    },
    error: /pipeline\.transformations\[0\]\.type.*did you mean "filter"/,
  },
  {
    name: 'bad-duration',
    files: {
      'pipeline.yaml': specWith(p => (p.transformations[1].delay = 'soon')),
    },
    error: /pipeline\.transformations\[1\]\.delay.*duration/,
  },
  {
    name: 'code-in-condition',
    files: {
      'pipeline.yaml': specWith(
        p => (p.transformations[0].condition = "__import__('os').system('id')"),
      ),
    },
    error: /pipeline\.transformations\[0\]\.condition/,
  },
  {
    name: 'bad-topic',
    files: {
      'pipeline.yaml': specWith(p => (p.source.topic = 'user events!')),
    },
    error: /pipeline\.source\.topic.*Kafka topic name/,
  },
  {
    name: 'internal-topic',
    files: {
      'pipeline.yaml': specWith(p => (p.source.topic = '__consumer_offsets')),
    },
    error: /pipeline\.source\.topic.*reserved/,
  },
  {
    name: 'relative-delta-path',
    files: {
      'pipeline.yaml': specWith(p => (p.sink.path = 'data/event_summary')),
    },
    error: /pipeline\.sink\.path/,
  },
  {
    name: 'no-checkpoint',
    files: { 'pipeline.yaml': specWith(p => delete p.sink.checkpoint) },
    error: /pipeline\.sink\.checkpoint/,
  },
  {
    name: 'no-watermark',
    files: {
      'pipeline.yaml': specWith(p => p.transformations.splice(1, 1)),
    },
    error: /watermark/,
  },
  {
    name: 'negative-lag',
    files: { 'pipeline.yaml': specWith(p => (p.monitoring.alert_on_lag = -5)) },
    error: /pipeline\.monitoring\.alert_on_lag/,
  },
  {
    name: 'unknown-key',
    files: {
      'pipeline.yaml': specWith(p => {
        p.sourc = p.source;
      }),
    },
    error: /sourc/,
  },
  {
    name: 'missing-schema',
    files: { 'pipeline.yaml': goodSpec },
    error:
      /pipeline\.source\.schema: could not read schemas\/user_event\.avsc: .* does not exist/,
  },
  {
    name: 'schema-not-json',
    files: {
      'pipeline.yaml': goodSpec,
      'schemas/user_event.avsc': '{ not json',
    },
    error:
      /pipeline\.source\.schema: could not read schemas\/user_event\.avsc: not valid JSON/,
  },
  {
    name: 'escaping-schema',
    files: {
      'pipeline.yaml': specWith(
        p => (p.source.schema = '../../user-events/schemas/user_event.avsc'),
      ),
    },
    error: /pipeline\.source\.schema/,
  },
  {
    name: 'bad-owner',
    owner: 'group:',
    files: { 'pipeline.yaml': goodSpec, 'schemas/user_event.avsc': goodSchema },
    error: /^InputError: Entity reference "group:" was not on the form/,
    laterErrors: [/BuiltinKindsEntityProcessor/],
  },
  {
    name: 'name-mismatch',
    files: { 'pipeline.yaml': specWith(p => (p.name = 'someone-else')) },
    error:
      /pipeline\.name: "someone-else" must be the name of the pipeline entity, "name-mismatch"/,
  },
  {
    name: 'huge-spec',
    files: { 'pipeline.yaml': `# ${'x'.repeat(1024 * 1024)}\n${goodSpec}` },
    error: /larger than/,
  },
];

const goodNames = ['good-one', 'good-two'];

// The real catalog backend starts and ingests in each suite; generous on a busy 2-core machine.
jest.setTimeout(180_000);

describe('StreamingPipelineProcessor with bad specs', () => {
  const mockDir = createMockDirectory();
  let catalog: CatalogTestBackend;

  beforeAll(async () => {
    const targets: string[] = [];
    for (const badCase of badCases) {
      const dir = path.join(mockDir.path, badCase.name);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'catalog-info.yaml'),
        catalogInfo(badCase.name, badCase.specPath, badCase.owner),
      );
      for (const [file, content] of Object.entries(badCase.files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(
          path.join(dir, file),
          content.replace(
            /^ {2}name: user-events$/m,
            `  name: ${badCase.name}`,
          ),
        );
      }
      badCase.setup?.(dir);
      targets.push(`./${badCase.name}/catalog-info.yaml`);
    }
    for (const [index, name] of [...goodNames, 'flip'].entries()) {
      const dir = path.join(mockDir.path, name);
      fs.mkdirSync(path.join(dir, 'schemas'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), catalogInfo(name));
      fs.writeFileSync(
        path.join(dir, 'pipeline.yaml'),
        specWith(p => {
          p.name = name;
          p.sink.path = `/data/delta/${name.replace('-', '_')}`;
          p.sink.checkpoint = `/checkpoints/${name}`;
          p.source.topic = index === 2 ? 'flip-events' : 'events';
        }),
      );
      fs.writeFileSync(path.join(dir, 'schemas/user_event.avsc'), goodSchema);
      targets.push(`./${name}/catalog-info.yaml`);
    }
    // A medallion step of another team: reads good-one's table, writes a topic.
    fs.mkdirSync(path.join(mockDir.path, 'silver'));
    fs.writeFileSync(
      path.join(mockDir.path, 'silver/catalog-info.yaml'),
      catalogInfo('silver', './pipeline.yaml', 'team-silver'),
    );
    fs.writeFileSync(
      path.join(mockDir.path, 'silver/pipeline.yaml'),
      yaml.stringify({
        pipeline: {
          name: 'silver',
          source: { type: 'delta', path: '/data/delta/good_one' },
          sink: {
            type: 'kafka',
            topic: 'silver-out',
            checkpoint: '/checkpoints/silver',
          },
        },
      }),
    );
    targets.push('./silver/catalog-info.yaml');
    // Two pipelines of different teams writing one checkpoint.
    for (const twin of ['twin-a', 'twin-b']) {
      const dir = path.join(mockDir.path, twin);
      fs.mkdirSync(path.join(dir, 'schemas'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), catalogInfo(twin));
      fs.writeFileSync(
        path.join(dir, 'pipeline.yaml'),
        specWith(p => {
          p.name = twin;
          p.source.topic = `${twin}-events`;
          p.sink.path = `/data/delta/${twin.replace('-', '_')}`;
          p.sink.checkpoint = '/checkpoints/shared/';
        }),
      );
      fs.writeFileSync(path.join(dir, 'schemas/user_event.avsc'), goodSchema);
      targets.push(`./${twin}/catalog-info.yaml`);
    }
    // Summaries written by authors, which the backend would follow.
    const forged = {
      [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify({
        ...JSON.parse(
          JSON.stringify(toPipelineSummary(parsePipelineSpec(goodSpec).spec!)),
        ),
        queryName: 'good-one',
        source: { type: 'kafka', cluster: 'local', topics: ['payroll'] },
      }),
      [ANNOTATION_PIPELINE_SUMMARY_LOCATION]: 'url:https://example.com/x.yaml',
    };
    const forgedEntity = (
      name: string,
      type: string,
      specPath: string | undefined,
      annotations: Record<string, string>,
    ) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: {
          ...(specPath
            ? { 'streaming-platform.dev/pipeline-spec': specPath }
            : {}),
          ...annotations,
        },
      },
      spec: { type, lifecycle: 'production', owner: 'team-growth' },
    });
    fs.mkdirSync(path.join(mockDir.path, 'forged'));
    fs.writeFileSync(
      path.join(mockDir.path, 'forged/catalog-info.yaml'),
      [
        forgedEntity('forged-no-spec', 'streaming-pipeline', undefined, forged),
        forgedEntity(
          'forged-type-case',
          'Streaming-Pipeline',
          undefined,
          forged,
        ),
        forgedEntity('forged-service', 'service', undefined, forged),
        forgedEntity(
          'forged-with-spec',
          'streaming-pipeline',
          './pipeline.yaml',
          forged,
        ),
      ]
        .map(entity => yaml.stringify(entity))
        .join('---\n'),
    );
    fs.writeFileSync(
      path.join(mockDir.path, 'forged/pipeline.yaml'),
      specWith(p => {
        p.name = 'forged-with-spec';
        p.sink.path = '/data/delta/forged';
        p.sink.checkpoint = '/checkpoints/forged';
        p.source.topic = 'forged-events';
      }),
    );
    fs.mkdirSync(path.join(mockDir.path, 'forged/schemas'));
    fs.writeFileSync(
      path.join(mockDir.path, 'forged/schemas/user_event.avsc'),
      goodSchema,
    );
    targets.push('./forged/catalog-info.yaml');
    // Avro read with a registry subject, pinned to version 3; its reader schema kept as the scaffolder keeps it.
    fs.mkdirSync(path.join(mockDir.path, 'pinned/schemas'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(mockDir.path, 'pinned/catalog-info.yaml'),
      catalogInfo('pinned'),
    );
    fs.writeFileSync(
      path.join(mockDir.path, 'pinned/pipeline.yaml'),
      specWith(p => {
        p.name = 'pinned';
        p.sink.path = '/data/delta/pinned';
        p.sink.checkpoint = '/checkpoints/pinned';
        p.source.topic = 'pinned-events';
        p.source.format = 'avro';
        p.source.schema = {
          registry: 'local',
          subject: 'pinned-events-value',
          version: 3,
        };
      }),
    );
    fs.writeFileSync(
      path.join(
        mockDir.path,
        `pinned/${registrySchemaFile('pinned-events-value', 'avro')}`,
      ),
      goodSchema,
    );
    targets.push('./pinned/catalog-info.yaml');
    // An Elasticsearch sink on a search cluster named in app-config.
    fs.mkdirSync(path.join(mockDir.path, 'search-logs/schemas'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(mockDir.path, 'search-logs/catalog-info.yaml'),
      catalogInfo('search-logs'),
    );
    fs.writeFileSync(
      path.join(mockDir.path, 'search-logs/pipeline.yaml'),
      specWith(p => {
        p.name = 'search-logs';
        p.source.topic = 'search-logs-events';
        p.sink = {
          type: 'elasticsearch',
          index: 'search-logs',
          cluster: 'logs-eu',
          checkpoint: '/checkpoints/search-logs',
        };
      }),
    );
    fs.writeFileSync(
      path.join(mockDir.path, 'search-logs/schemas/user_event.avsc'),
      goodSchema,
    );
    targets.push('./search-logs/catalog-info.yaml');
    fs.writeFileSync(
      path.join(mockDir.path, 'catalog-info.yaml'),
      yaml.stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Location',
        metadata: { name: 'bad-specs' },
        spec: { targets },
      }),
    );
    catalog = await startCatalogTestBackend({
      locations: [path.join(mockDir.path, 'catalog-info.yaml')],
    });
  });

  afterAll(() => catalog.stop());

  it('reports each bad spec as a readable error on its entity and ingests the rest', async () => {
    const errorsByEntity = await waitFor(
      'an error for every bad spec',
      async () => {
        const byEntity = new Map(
          catalog.errors.map(e => [e.entityRef, e.messages]),
        );
        return badCases.every(c => byEntity.has(`component:default/${c.name}`))
          ? byEntity
          : undefined;
      },
      catalogWait,
    );
    expect(badCases.length).toBeGreaterThanOrEqual(20);
    for (const badCase of badCases) {
      const messages = errorsByEntity.get(`component:default/${badCase.name}`)!;
      expect({ name: badCase.name, messages }).toEqual({
        name: badCase.name,
        messages: [
          expect.stringMatching(badCase.error),
          ...(badCase.laterErrors ?? []).map(e => expect.stringMatching(e)),
        ],
      });
      expect(messages[0]).toMatch(/^InputError: /);
    }

    const good = await waitFor(
      'the good pipelines and the shared topic',
      async () => {
        const refs = [
          ...goodNames.map(n => `component:default/${n}`),
          'resource:default/topic.local.events',
        ];
        const entities = await catalog.getEntitiesByRefs(refs);
        return entities.every(e => e?.relations?.length)
          ? (entities as Entity[])
          : undefined;
      },
      catalogWait,
    );
    const topic = good[2];
    expect(
      topic
        .relations!.filter(r => r.type === 'dependencyOf')
        .map(r => r.targetRef)
        .sort(),
    ).toEqual(goodNames.map(n => `component:default/${n}`));
    const visible = (await catalog.listEntities(['kind', 'metadata.name'])).map(
      e => e.metadata.name,
    );
    for (const badCase of badCases) {
      expect(visible).not.toContain(badCase.name);
    }
  });

  it('walks from a topic across two pipelines; a table belongs to its writer', async () => {
    const table = 'resource:default/delta.data.delta.good_one';
    await waitFor(
      'the silver step stitched on both ends',
      async () => {
        const [silver, goodTable] = await catalog.getEntitiesByRefs([
          'component:default/silver',
          table,
        ]);
        return silver?.relations?.some(r => r.type === 'dependsOn') &&
          goodTable?.relations?.filter(r => r.type.startsWith('depend'))
            .length === 2
          ? true
          : undefined;
      },
      catalogWait,
    );
    const graph = await walkLineage({
      from: 'resource:default/topic.local.events',
      direction: 'downstream',
      fetchEntities: catalog.getEntitiesByRefs,
    });
    expect(graph.nodes.map(n => `${n.depth} ${n.entityRef}`)).toEqual([
      '0 resource:default/topic.local.events',
      '1 component:default/good-one',
      '1 component:default/good-two',
      '2 resource:default/delta.data.delta.good_one',
      '2 resource:default/topic.local.events.dead-letter',
      '2 resource:default/delta.data.delta.good_two',
      '3 component:default/silver',
      '4 resource:default/topic.local.silver-out',
    ]);
    const [goodTable, silverTopic] = await catalog.getEntitiesByRefs([
      table,
      'resource:default/topic.local.silver-out',
    ]);
    expect(goodTable?.spec?.owner).toBe('group:default/team-growth');
    expect(silverTopic?.spec?.owner).toBe('group:default/team-silver');
    // Read by team-growth only, written by nobody: no reader owns it.
    const events = await catalog.getEntity(
      'resource:default/topic.local.events',
    );
    expect(events?.spec).toEqual({
      type: 'kafka-topic',
      owner: 'group:default/unknown',
    });
  });

  it('shows a spec that breaks later as an error on the existing entity', async () => {
    const ref = 'component:default/flip';
    await waitFor(
      'the flip pipeline',
      async () =>
        (
          await catalog.getEntity(ref)
        )?.relations?.some(r => r.type === 'dependsOn')
          ? true
          : undefined,
      catalogWait,
    );
    fs.writeFileSync(
      path.join(mockDir.path, 'flip/pipeline.yaml'),
      specWith(p => {
        p.name = 'flip';
        p.transformations[0].type = 'fliter';
      }),
    );
    await catalog.request('/refresh', {
      method: 'POST',
      body: { entityRef: ref },
    });
    const flip = await waitFor(
      'the error on the flip pipeline',
      async () => {
        const entity = (await catalog.getEntity(ref)) as
          | AlphaEntity
          | undefined;
        return entity?.status?.items?.length ? entity : undefined;
      },
      catalogWait,
    );
    expect(flip.status!.items).toEqual([
      expect.objectContaining({
        level: 'error',
        type: 'backstage.io/catalog-processing',
        message: expect.stringMatching(
          /^InputError: Invalid pipeline spec \.\/pipeline\.yaml:\npipeline\.transformations\[0\]\.type: .*did you mean "filter"\? \(line \d+, column \d+\)$/,
        ),
      }),
    ]);
    // The last good state stays: its lineage is still there.
    expect(stringifyEntityRef(flip)).toBe(ref);
    expect(flip.relations).toContainEqual({
      type: 'dependsOn',
      targetRef: 'resource:default/topic.local.flip-events',
    });
  });

  it('drops pipeline summaries that an author wrote, and writes its own with its marker', async () => {
    const refs = [
      'component:default/forged-no-spec',
      'component:default/forged-type-case',
      'component:default/forged-service',
      'component:default/forged-with-spec',
    ];
    const entities = await waitFor(
      'the forged entities',
      async () => {
        const found = await catalog.getEntitiesByRefs(refs);
        return found.every(e => e?.relations?.length) &&
          found[3]!.relations!.some(r => r.type === 'dependsOn')
          ? (found as Entity[])
          : undefined;
      },
      catalogWait,
    );
    for (const entity of entities.slice(0, 3)) {
      expect(Object.keys(entity.metadata.annotations!)).not.toEqual(
        expect.arrayContaining([ANNOTATION_PIPELINE_SUMMARY]),
      );
      expect(Object.keys(entity.metadata.annotations!)).not.toEqual(
        expect.arrayContaining([ANNOTATION_PIPELINE_SUMMARY_LOCATION]),
      );
    }
    const annotations = entities[3].metadata.annotations!;
    expect(JSON.parse(annotations[ANNOTATION_PIPELINE_SUMMARY])).toMatchObject({
      name: 'forged-with-spec',
      queryName: 'forged-with-spec',
      source: { type: 'kafka', cluster: 'local', topics: ['forged-events'] },
    });
    expect(annotations[ANNOTATION_PIPELINE_SUMMARY_LOCATION]).toBe(
      annotations['backstage.io/managed-by-location'],
    );
  });

  it('writes the registry subject version a spec pins on the pipeline, and none without one', async () => {
    const [pinned, unpinned] = await waitFor(
      'the pinned pipeline and good-one with their summaries',
      async () => {
        const found = await catalog.getEntitiesByRefs([
          'component:default/pinned',
          'component:default/good-one',
        ]);
        return found.every(
          e => e?.metadata.annotations?.[ANNOTATION_PIPELINE_SUMMARY],
        )
          ? (found as Entity[])
          : undefined;
      },
      catalogWait,
    );
    expect(
      pinned.metadata.annotations![ANNOTATION_PIPELINE_SCHEMA_VERSION],
    ).toBe('3');
    expect(
      JSON.parse(pinned.metadata.annotations![ANNOTATION_PIPELINE_SUMMARY]),
    ).toMatchObject({
      source: { type: 'kafka', topics: ['pinned-events'] },
    });
    expect(Object.keys(unpinned.metadata.annotations!)).not.toContain(
      ANNOTATION_PIPELINE_SCHEMA_VERSION,
    );
  });

  it('writes the search cluster a spec names on the pipeline and its index', async () => {
    const [pipeline, index] = await waitFor(
      'the search-logs pipeline and its index',
      async () => {
        const found = await catalog.getEntitiesByRefs([
          'component:default/search-logs',
          'resource:default/es.search-logs',
        ]);
        return found[0]?.metadata.annotations?.[ANNOTATION_PIPELINE_SUMMARY] &&
          found[1]
          ? (found as Entity[])
          : undefined;
      },
      catalogWait,
    );
    expect(
      pipeline.metadata.annotations![ANNOTATION_ELASTICSEARCH_CLUSTER],
    ).toBe('logs-eu');
    expect(index.metadata.annotations).toMatchObject({
      [ANNOTATION_ELASTICSEARCH_INDEX]: 'search-logs',
      [ANNOTATION_ELASTICSEARCH_CLUSTER]: 'logs-eu',
    });
    expect(Object.keys(index.metadata.annotations!)).not.toContain(
      ANNOTATION_ELASTICSEARCH_NODES,
    );
  });

  it('reports a checkpoint shared by two pipelines on both of them', async () => {
    const twins = ['component:default/twin-a', 'component:default/twin-b'];
    const errorOf = (ref: string) =>
      catalog.errors.filter(e => e.entityRef === ref).pop()?.messages;
    await waitFor(
      'the conflict on the pipeline processed second',
      async () => (twins.some(errorOf) ? true : undefined),
      catalogWait,
    );
    // The pipeline processed first learns of the other on its next round.
    for (const entityRef of twins) {
      await catalog.request('/refresh', {
        method: 'POST',
        body: { entityRef },
      });
    }
    const messages = await waitFor(
      'the conflict on both',
      async () => {
        const both = twins.map(errorOf);
        return both.every(Boolean) ? both : undefined;
      },
      catalogWait,
    );
    expect(messages).toEqual([
      [
        'InputError: pipeline.sink.checkpoint: /checkpoints/shared/ is also the checkpoint of component:default/twin-b; a checkpoint belongs to one pipeline',
      ],
      [
        'InputError: pipeline.sink.checkpoint: /checkpoints/shared/ is also the checkpoint of component:default/twin-a; a checkpoint belongs to one pipeline',
      ],
    ]);
  });
});
