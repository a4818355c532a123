import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
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
import yaml from 'yaml';
import { waitFor } from '@internal/plugin-streaming-node/testUtils';
import {
  CatalogTestBackend,
  catalogWait,
  startCatalogTestBackend,
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
    '%2e%2e/b/pipeline.yaml',
    '%2E%2E/b/pipeline.yaml',
    '.%2e/b/pipeline.yaml',
    'schemas/%2e%2e/%2e%2e/b/pipeline.yaml',
    '%252e%252e/b/pipeline.yaml',
    'schemas%2f..%2f..%2fb/pipeline.yaml',
    '%2fetc/passwd',
    'pipeline.yaml%00.txt',
    'bad%zzescape.yaml',
  ])('refuses %j', relativePath => {
    expect(() => files.resolve(fileBase, relativePath)).toThrow(
      /must be a relative path/,
    );
    expect(() => files.resolve(urlBase, relativePath)).toThrow(
      /must be a relative path/,
    );
  });

  it('keeps a url reference inside the repository and folder of the entity', () => {
    // WHATWG URLs treat %2e%2e as "..": the other repository, same host.
    expect(() =>
      files.resolve(urlBase, '%2e%2e/%2e%2e/%2e%2e/%2e%2e/secrets/blob/main/x'),
    ).toThrow(/must be a relative path/);
    const azure = {
      type: 'url',
      target:
        'https://dev.azure.com/acme/data/_git/pipelines?path=/a/catalog-info.yaml&version=GBmain',
    };
    expect(files.resolve(azure, 'schemas/x.avsc').target).toBe(
      'https://dev.azure.com/acme/data/_git/pipelines?path=%2Fa%2Fschemas%2Fx.avsc&version=GBmain',
    );
  });

  it('refuses locations it cannot read relative to', () => {
    expect(() =>
      files.resolve({ type: 'github-org', target: 'acme' }, './pipeline.yaml'),
    ).toThrow(/type github-org/);
  });
});

describe('PipelineFileReader.read of files', () => {
  const mockDir = createMockDirectory();
  const files = new PipelineFileReader(
    mockServices.urlReader.mock(),
    ScmIntegrations.fromConfig(mockServices.rootConfig()),
  );

  it('reads a file in the folder and refuses one that a link leads outside of it', async () => {
    mockDir.setContent({
      'repo/a/catalog-info.yaml': 'kind: Component',
      'repo/a/pipeline.yaml': 'pipeline: {}',
      'repo/a/schemas/x.avsc': '{}',
      'repo/outside.yaml': 'SECRET',
    });
    fs.symlinkSync(
      mockDir.resolve('repo/outside.yaml'),
      mockDir.resolve('repo/a/linked.yaml'),
    );
    const within = {
      type: 'file',
      target: mockDir.resolve('repo/a/catalog-info.yaml'),
    };
    const file = (name: string) => ({
      type: 'file',
      target: mockDir.resolve(`repo/a/${name}`),
    });
    await expect(files.read(file('pipeline.yaml'), within)).resolves.toBe(
      'pipeline: {}',
    );
    await expect(files.read(file('schemas/x.avsc'), within)).resolves.toBe(
      '{}',
    );
    await expect(files.read(file('linked.yaml'), within)).rejects.toThrow(
      /linked\.yaml leads outside/,
    );
    await expect(files.read(file('.'), within)).rejects.toThrow(
      /leads outside/,
    );
  });
});

/** A plain HTTP file server over `root` with ETags, recording what it answered. */
async function startFileServer(root: string) {
  const served: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.url?.endsWith('/endless.yaml')) {
      // A body that never ends: readers must stop on their own.
      let sent = 0;
      const chunk = Buffer.alloc(16 * 1024, '#');
      const timer = setInterval(() => {
        sent += chunk.length;
        res.write(chunk);
      }, 1);
      res.on('close', () => {
        clearInterval(timer);
        served.push(`closed ${req.url} after ${sent} bytes`);
      });
      res.writeHead(200);
      return;
    }
    const file = path.join(root, decodeURIComponent(req.url ?? '/'));
    if (!file.startsWith(`${root}${path.sep}`) || !fs.existsSync(file)) {
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
  return {
    served,
    host: `127.0.0.1:${port}`,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

describe('url locations through the UrlReader', () => {
  let files: Awaited<ReturnType<typeof startFileServer>>;
  let catalog: CatalogTestBackend;
  let baseUrl: string;
  let served: string[];

  beforeAll(async () => {
    files = await startFileServer(examples);
    ({ baseUrl, served } = files);
    catalog = await startCatalogTestBackend({
      locations: [],
      extraLocations: [
        {
          type: 'url',
          target: `${baseUrl}/pipelines/user-events/catalog-info.yaml`,
        },
      ],
      config: {
        backend: { reading: { allow: [{ host: files.host }] } },
      },
    });
  });

  afterAll(async () => {
    await catalog.stop();
    await files.close();
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
      catalogWait,
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
      'dependencyOf resource:default/topic.local.events.dead-letter',
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
    await waitFor(
      'conditional reads of the spec and its schema',
      async () =>
        served.includes('304 /pipelines/user-events/schemas/user_event.avsc')
          ? true
          : undefined,
      catalogWait,
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

describe('url references that leave the entity folder', () => {
  const mockDir = createMockDirectory();
  const secret = 'SECRET-TOKEN-0123456789';
  let files: Awaited<ReturnType<typeof startFileServer>>;
  let catalog: CatalogTestBackend;

  const pipelineInfo = (name: string, specPath: string) =>
    yaml.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: { 'streaming-platform.dev/pipeline-spec': specPath },
      },
      spec: { type: 'streaming-pipeline', lifecycle: 'production', owner: 'x' },
    });
  const spec = (name: string, schema: string) =>
    fs
      .readFileSync(
        path.join(examples, 'pipelines/user-events/pipeline.yaml'),
        'utf8',
      )
      .replace('name: user-events', `name: ${name}`)
      .replace('schemas/user_event.avsc', schema);

  beforeAll(async () => {
    mockDir.setContent({
      acme: {
        // Another repository on the same host, readable with the same credentials.
        secrets: {
          'pipeline.yaml': spec('stolen', 'schemas/user_event.avsc'),
          'token.avsc': `${secret} do not share`,
        },
        pipelines: {
          'spec-elsewhere': {
            'catalog-info.yaml': pipelineInfo(
              'spec-elsewhere',
              '%2e%2e/%2e%2e/secrets/pipeline.yaml',
            ),
          },
          'endless-spec': {
            'catalog-info.yaml': pipelineInfo('endless-spec', './endless.yaml'),
          },
          'schema-not-json': {
            'catalog-info.yaml': pipelineInfo(
              'schema-not-json',
              './pipeline.yaml',
            ),
            'pipeline.yaml': spec('schema-not-json', 'schemas/token.avsc'),
            schemas: { 'token.avsc': `${secret} not json` },
          },
        },
      },
    });
    files = await startFileServer(mockDir.path);
    catalog = await startCatalogTestBackend({
      locations: [],
      extraLocations: ['spec-elsewhere', 'schema-not-json', 'endless-spec'].map(
        name => ({
          type: 'url',
          target: `${files.baseUrl}/acme/pipelines/${name}/catalog-info.yaml`,
        }),
      ),
      config: {
        backend: { reading: { allow: [{ host: files.host }] } },
      },
      processors: { streamingPipeline: { maxFileBytes: 64 * 1024 } },
    });
  });

  afterAll(async () => {
    await catalog.stop();
    await files.close();
  });

  it('stops reading a URL at the configured size', async () => {
    const messages = await waitFor(
      'the error on endless-spec',
      async () =>
        catalog.errors.find(
          e => e.entityRef === 'component:default/endless-spec',
        )?.messages,
      catalogWait,
    );
    expect(messages).toEqual([
      expect.stringMatching(
        /could not read \.\/endless\.yaml: .*endless\.yaml is larger than 65536 bytes \(catalog\.processors\.streamingPipeline\.maxFileBytes\)$/,
      ),
    ]);
    const closed = await waitFor(
      'the request to end',
      async () => files.served.find(line => line.startsWith('closed ')),
      catalogWait,
    );
    const sent = Number(/after (\d+) bytes/.exec(closed)![1]);
    // What the sockets had buffered, not the whole (endless) body.
    expect(sent).toBeLessThan(8 * 1024 * 1024);
  });

  it('never reads another folder, and never echoes file content in errors', async () => {
    const errors = await waitFor(
      'an error on each pipeline',
      async () => {
        const byEntity = new Map(
          catalog.errors.map(e => [e.entityRef, e.messages.join('\n')]),
        );
        return byEntity.size >= 3 ? byEntity : undefined;
      },
      catalogWait,
    );
    expect(errors.get('component:default/spec-elsewhere')).toMatch(
      /pipeline-spec: could not read %2e%2e\/%2e%2e\/secrets\/pipeline\.yaml: .*must be a relative path .* without "\.\." segments/,
    );
    expect(errors.get('component:default/schema-not-json')).toMatch(
      /pipeline\.source\.schema: could not read schemas\/token\.avsc: not valid JSON$/,
    );
    for (const message of errors.values()) {
      expect(message).not.toContain(secret);
    }
    expect(files.served.filter(line => line.includes('/secrets/'))).toEqual([]);
    expect(await catalog.getEntity('component:default/spec-elsewhere')).toBe(
      undefined,
    );
  });
});
