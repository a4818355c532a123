import { mockServices } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ScmIntegrations } from '@backstage/integration';
import {
  ANNOTATION_PIPELINE_SUMMARY,
  schemaEntityName,
} from '@internal/plugin-streaming-common';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  CatalogTestBackend,
  startCatalogTestBackend,
  waitFor,
} from '../__testUtils__/startCatalogTestBackend';
import { PipelineFileReader } from './PipelineFileReader';

const examples = path.resolve(__dirname, '../../../../examples');

// The real catalog backend starts and ingests in each suite; generous on a busy 2-core machine.
jest.setTimeout(180_000);

describe('PipelineFileReader.resolve', () => {
  const files = new PipelineFileReader(
    mockServices.urlReader.mock(),
    ScmIntegrations.fromConfig(mockServices.rootConfig()),
  );
  const fileBase = {
    type: 'file',
    target: '/repo/pipelines/a/catalog-info.yaml',
  };
  const urlBase = {
    type: 'url',
    target: 'https://github.com/acme/pipelines/blob/main/a/catalog-info.yaml',
  };

  it('resolves next to the referencing file', () => {
    expect(files.resolve(fileBase, './pipeline.yaml')).toEqual({
      type: 'file',
      target: '/repo/pipelines/a/pipeline.yaml',
    });
    expect(files.resolve(fileBase, 'schemas/x.avsc').target).toBe(
      '/repo/pipelines/a/schemas/x.avsc',
    );
    expect(files.resolve(urlBase, './pipeline.yaml')).toEqual({
      type: 'url',
      target: 'https://github.com/acme/pipelines/tree/main/a/pipeline.yaml',
    });
  });

  it.each([
    '',
    '../b/pipeline.yaml',
    'schemas/../../b/pipeline.yaml',
    '/etc/passwd',
    'C:\\specs\\pipeline.yaml',
    'file:///etc/passwd',
    'https://evil.example.com/pipeline.yaml',
    '//evil.example.com/pipeline.yaml',
    'pipeline.yaml?ref=other',
    'pipeline.yaml\0.txt',
  ])('refuses %j', relativePath => {
    expect(() => files.resolve(fileBase, relativePath)).toThrow(
      /must be a relative path/,
    );
    expect(() => files.resolve(urlBase, relativePath)).toThrow(
      /must be a relative path/,
    );
  });

  it('refuses locations it cannot read relative to', () => {
    expect(() =>
      files.resolve({ type: 'github-org', target: 'acme' }, './pipeline.yaml'),
    ).toThrow(/type github-org/);
  });
});

describe('url locations through the UrlReader', () => {
  let server: http.Server;
  let catalog: CatalogTestBackend;
  let baseUrl: string;
  const served: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const file = path.join(examples, decodeURIComponent(req.url ?? '/'));
      if (!file.startsWith(`${examples}${path.sep}`) || !fs.existsSync(file)) {
        served.push(`404 ${req.url}`);
        res.writeHead(404).end();
        return;
      }
      const content = fs.readFileSync(file);
      const etag = `"${createHash('sha256').update(content).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) {
        served.push(`304 ${req.url}`);
        res.writeHead(304, { ETag: etag }).end();
        return;
      }
      served.push(`200 ${req.url}`);
      res.writeHead(200, { ETag: etag }).end(content);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    catalog = await startCatalogTestBackend({
      locations: [],
      extraLocations: [
        {
          type: 'url',
          target: `${baseUrl}/pipelines/user-events/catalog-info.yaml`,
        },
      ],
      config: {
        backend: { reading: { allow: [{ host: `127.0.0.1:${port}` }] } },
      },
    });
  });

  afterAll(async () => {
    await catalog.stop();
    await new Promise(resolve => server.close(resolve));
  });

  it('reads the spec and its schema relative to the entity URL', async () => {
    const schemaRef = `api:default/${schemaEntityName(
      `${baseUrl}/pipelines/user-events/schemas/user_event.avsc`,
    )}`;
    const pipeline = await waitFor(
      'the pipeline with its lineage',
      async () => {
        const entity = await catalog.getEntity('component:default/user-events');
        return entity?.relations?.some(r => r.type === 'consumesApi')
          ? entity
          : undefined;
      },
    );
    expect(
      pipeline.metadata.annotations?.[ANNOTATION_PIPELINE_SUMMARY],
    ).toContain('"topics":["events"]');
    expect(
      pipeline
        .relations!.filter(r => r.type !== 'ownedBy' && r.type !== 'partOf')
        .map(r => `${r.type} ${r.targetRef}`)
        .sort(),
    ).toEqual([
      `consumesApi ${schemaRef}`,
      'dependencyOf resource:default/delta.data.delta.event_summary',
      'dependsOn resource:default/topic.local.events',
    ]);
    const api = await catalog.getEntity(schemaRef);
    expect(api?.spec?.definition).toBe(
      fs.readFileSync(
        path.join(examples, 'pipelines/user-events/schemas/user_event.avsc'),
        'utf8',
      ),
    );
    expect(
      api?.metadata.annotations?.['backstage.io/managed-by-location'],
    ).toBe(`url:${baseUrl}/pipelines/user-events/pipeline.yaml`);
    expect(served).toEqual(
      expect.arrayContaining([
        '200 /pipelines/user-events/catalog-info.yaml',
        '200 /pipelines/user-events/pipeline.yaml',
        '200 /pipelines/user-events/schemas/user_event.avsc',
      ]),
    );
    expect(stringifyEntityRef(pipeline)).toBe('component:default/user-events');
  });

  it('asks again with the ETag and keeps the entities when nothing changed', async () => {
    served.length = 0;
    await catalog.request('/refresh', {
      method: 'POST',
      body: { entityRef: 'component:default/user-events' },
    });
    await waitFor('conditional reads of the spec and its schema', async () =>
      served.includes('304 /pipelines/user-events/schemas/user_event.avsc')
        ? true
        : undefined,
    );
    expect(served).toContain('304 /pipelines/user-events/pipeline.yaml');
    expect(
      served.filter(line => line.startsWith('200 /pipelines/user-events/p')),
    ).toEqual([]);
    const pipeline = await catalog.getEntity('component:default/user-events');
    expect(pipeline?.relations).toContainEqual({
      type: 'dependsOn',
      targetRef: 'resource:default/topic.local.events',
    });
  });
});
