import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PIPELINE_SPEC,
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_PIPELINE_SUMMARY_LOCATION,
  parsePipelineSpec,
  PipelineDriftResponse,
  toPipelineSummary,
} from '@internal/plugin-streaming-common';
import {
  GENERATOR_VERSION,
  readRepositoryRender,
  renderPipeline,
  REPOSITORY_WORKFLOW_PATH,
} from '@internal/plugin-streaming-codegen';
import { sharedBroker } from '@internal/plugin-streaming-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import request from 'supertest';
import { streamingPlugin } from './plugin';
import { openApiTestServer } from './__testUtils__/openApiTestServer';
import { catalogFactory, OUTSIDER } from './__testUtils__/testEntities';

jest.setTimeout(120_000);

const ALICE = mockCredentials.user.header('user:default/alice');

const specText = (name: string) => `pipeline:
  name: ${name}
  owner: group:default/data-platform
  source:
    type: kafka
    topic: ${name}-events
    format: json
    fields:
      - { name: event_type, type: string }
      - { name: country, type: string }
      - { name: timestamp, type: timestamp }
  transformations:
    - type: watermark
      column: timestamp
      delay: "10 minutes"
    - type: aggregate
      window: "5 minutes"
      group_by: [event_type, country]
      metrics:
        - count: event_count
  sink:
    type: delta
    path: /data/delta/${name}
    mode: append
    checkpoint: /checkpoints/${name}
  monitoring:
    alert_on_lag: 60
`;

/** A pipeline Component as the catalog leaves one registered from a location. */
function fileEntity(
  name: string,
  catalogInfo: string,
  location = `file:${catalogInfo}`,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        [ANNOTATION_PIPELINE_SPEC]:
          name === 'nested-drift' ? './spec/pipeline.yaml' : './pipeline.yaml',
        [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify(
          toPipelineSummary(parsePipelineSpec(specText(name)).spec!),
        ),
        [ANNOTATION_PIPELINE_SUMMARY_LOCATION]: location,
        [ANNOTATION_LOCATION]: location,
      },
    },
    spec: {
      type: 'streaming-pipeline',
      lifecycle: 'production',
      owner: 'group:default/data-platform',
    },
  };
}

/**
 * Renders a repository folder from its pipeline.yaml with the options its
 * workflow records (or the given ones), as the Update pipeline template does.
 */
function render(dir: string, options = {}) {
  const text = fs.readFileSync(path.join(dir, 'pipeline.yaml'), 'utf8');
  const workflow = path.join(dir, REPOSITORY_WORKFLOW_PATH);
  const recorded = fs.existsSync(workflow)
    ? readRepositoryRender(fs.readFileSync(workflow, 'utf8')).options
    : options;
  for (const file of renderPipeline(parsePipelineSpec(text).spec!, {
    ...recorded,
    specText: text,
  })) {
    fs.mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, file.path), file.content);
  }
}

describe('drift route on pipeline repositories on disk', () => {
  const dir = createMockDirectory();
  const repos = [
    'orders-drift',
    'links-drift',
    'big-drift',
    'remote-drift',
    'nested-drift',
  ];
  /** The paths the UrlReader's tree filter was asked about. */
  const offered: string[] = [];

  /**
   * A UrlReader for `file:` URLs under the test folder, as an SCM reader
   * answers readTree: the folder's files, through the tree filter.
   */
  const fileUrlReader = createServiceFactory({
    service: urlReaderFactoriesServiceRef,
    deps: {},
    factory:
      () =>
      ({ treeResponseFactory }) => {
        const list = (root: string): string[] =>
          (fs.readdirSync(root, { recursive: true }) as string[]).filter(p =>
            fs.statSync(path.join(root, p)).isFile(),
          );
        return [
          {
            predicate: url =>
              url.protocol === 'file:' &&
              fileURLToPath(url).startsWith(`${dir.path}/`),
            reader: {
              readUrl: async () => {
                throw new Error('not used');
              },
              search: async () => {
                throw new Error('not used');
              },
              readTree: async (url, options) => {
                const root = fileURLToPath(url);
                const files = list(root).filter(file => {
                  offered.push(file);
                  return (
                    options?.filter?.(file, {
                      size: fs.statSync(path.join(root, file)).size,
                    }) ?? true
                  );
                });
                return treeResponseFactory.fromReadableArray(
                  files.map(file => ({
                    path: file,
                    data: fs.createReadStream(path.join(root, file)),
                  })),
                );
              },
            },
          },
        ];
      },
  });
  let server: Parameters<typeof request>[0];
  let limited: Parameters<typeof request>[0];
  let bytesLimited: Parameters<typeof request>[0];
  let cached: Parameters<typeof request>[0];
  const stops: Array<() => Promise<void>> = [];

  const repo = (name: string) => dir.resolve(name);
  const edit = (name: string, file: string, change: (text: string) => string) =>
    fs.writeFileSync(
      path.join(repo(name), file),
      change(fs.readFileSync(path.join(repo(name), file), 'utf8')),
    );

  async function start(drift: object) {
    const backend = await startTestBackend({
      features: [
        streamingPlugin,
        mockServices.rootConfig.factory({
          data: {
            streaming: {
              kafka: {
                clusters: [{ name: 'local', brokers: [await sharedBroker()] }],
              },
              drift,
            },
          },
        }),
        catalogFactory(
          repos.map(name =>
            fileEntity(
              name,
              path.join(repo(name), 'catalog-info.yaml'),
              name === 'remote-drift'
                ? `url:${
                    pathToFileURL(path.join(repo(name), 'catalog-info.yaml'))
                      .href
                  }`
                : undefined,
            ),
          ),
        ),
        fileUrlReader,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    stops.push(() => backend.stop());
    return openApiTestServer(backend.server);
  }

  const drift = async (name: string, target = server) => {
    const response = await request(target)
      .get(`/api/streaming/pipelines/default/${name}/drift`)
      .set('Authorization', ALICE);
    expect(response.status).toBe(200);
    return response.body as PipelineDriftResponse;
  };
  const drifted = (answer: PipelineDriftResponse) =>
    answer.files.filter(f => f.state !== 'unchanged');

  beforeAll(async () => {
    for (const name of repos) {
      fs.mkdirSync(repo(name), { recursive: true });
      fs.writeFileSync(path.join(repo(name), 'pipeline.yaml'), specText(name));
      render(repo(name), {
        namespace: 'data',
        techdocsBaseUrl: `http://localhost:3000/docs/default/component/${name}`,
      });
    }
    server = await start({ cacheTtl: '0s' });
    limited = await start({ cacheTtl: '0s', maxFiles: 10 });
    bytesLimited = await start({ cacheTtl: '0s', maxBytes: 50_000 });
    cached = await start({ cacheTtl: { minutes: 5 } });
  });

  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it('finds no drift after a render, then the files an edit of pipeline.yaml changes, and none after rendering again', async () => {
    const fresh = await drift('orders-drift');
    expect(fresh).toMatchObject({
      entityRef: 'component:default/orders-drift',
      state: 'up-to-date',
      generatorVersion: {
        current: GENERATOR_VERSION,
        repository: GENERATOR_VERSION,
      },
      errors: [],
    });
    expect(fresh.files.map(f => f.path)).toEqual(
      expect.arrayContaining([
        'catalog-info.yaml',
        'job/main.py',
        'deploy/spark-application.yaml',
        REPOSITORY_WORKFLOW_PATH,
        'pipeline.yaml',
      ]),
    );
    expect(drifted(fresh)).toEqual([]);

    edit('orders-drift', 'pipeline.yaml', text =>
      text
        .replace('alert_on_lag: 60', 'alert_on_lag: 120')
        .replace('window: "5 minutes"', 'window: "10 minutes"'),
    );
    const after = await drift('orders-drift');
    expect(after.state).toBe('drifted');
    expect(drifted(after)).toEqual(
      expect.arrayContaining([
        { path: 'job/main.py', state: 'changed' },
        { path: 'deploy/prometheus-rule.yaml', state: 'changed' },
        { path: 'docs/runbook.md', state: 'changed' },
      ]),
    );
    expect(drifted(after).map(f => f.path)).not.toContain('pipeline.yaml');
    expect(drifted(after).map(f => f.path)).not.toContain('Dockerfile');

    render(repo('orders-drift'));
    const updated = await drift('orders-drift');
    expect(updated.state).toBe('up-to-date');
    expect(drifted(updated)).toEqual([]);
  });

  it('names missing files, generated files no longer rendered, and a hand edit; leaves other files alone', async () => {
    const name = 'links-drift';
    fs.rmSync(path.join(repo(name), 'deploy/prometheus-rule.yaml'));
    edit(name, 'Dockerfile', text => `${text}RUN echo by hand\n`);
    fs.writeFileSync(
      path.join(repo(name), 'job/old_step.py'),
      '# Generated from pipeline.yaml by the streaming platform: change the spec and render\n',
    );
    fs.writeFileSync(path.join(repo(name), 'job/NOTES.md'), 'our notes\n');
    fs.writeFileSync(path.join(repo(name), 'README.md'), '# ours\n');
    const answer = await drift(name);
    expect(answer.state).toBe('drifted');
    expect(drifted(answer)).toEqual([
      { path: 'Dockerfile', state: 'changed' },
      { path: 'deploy/prometheus-rule.yaml', state: 'missing' },
      { path: 'job/old_step.py', state: 'extra' },
    ]);
  });

  it('never follows a symbolic link out of the repository', async () => {
    const name = 'links-drift';
    const outside = dir.resolve('outside');
    fs.mkdirSync(outside, { recursive: true });
    fs.writeFileSync(path.join(outside, 'main.py'), 'print("elsewhere")\n');
    fs.cpSync(path.join(repo(name), 'docs'), path.join(outside, 'docs'), {
      recursive: true,
    });
    fs.rmSync(path.join(repo(name), 'job/main.py'));
    fs.symlinkSync(
      path.join(outside, 'main.py'),
      path.join(repo(name), 'job/main.py'),
    );
    fs.rmSync(path.join(repo(name), 'docs'), { recursive: true });
    fs.symlinkSync(path.join(outside, 'docs'), path.join(repo(name), 'docs'));
    const states = Object.fromEntries(
      (await drift(name)).files.map(f => [f.path, f.state]),
    );
    expect(states['job/main.py']).toBe('changed');
    // Identical copies behind the link, but not read through it.
    expect(states['docs/index.md']).toBe('missing');
    expect(states['docs/runbook.md']).toBe('missing');
  });

  it('answers an invalid pipeline.yaml as unknown, naming the problem', async () => {
    edit('big-drift', 'pipeline.yaml', text =>
      text.replace('mode: append', 'mode: sideways'),
    );
    const answer = await drift('big-drift');
    expect(answer.state).toBe('unknown');
    expect(answer.files).toEqual([]);
    expect(answer.errors).toEqual([
      {
        source: 'spec',
        message: expect.stringContaining('pipeline.yaml: pipeline.sink.mode'),
      },
    ]);
    edit('big-drift', 'pipeline.yaml', text =>
      text.replace('mode: sideways', 'mode: append'),
    );
  });

  it('stops at streaming.drift.maxFiles, naming the limit', async () => {
    const answer = await drift('big-drift', limited);
    expect(answer.state).toBe('unknown');
    expect(answer.errors).toEqual([
      {
        source: 'repository',
        message: `${repo(
          'big-drift',
        )} has more than 10 files the generator may own (streaming.drift.maxFiles)`,
      },
    ]);
    expect((await drift('big-drift')).state).toBe('up-to-date');
  });

  it("reads a repository registered from a URL through the UrlReader, asking for the generator's files only", async () => {
    fs.mkdirSync(path.join(repo('remote-drift'), 'data'));
    fs.writeFileSync(
      path.join(repo('remote-drift'), 'data/big.bin'),
      Buffer.alloc(1024 * 1024),
    );
    const fresh = await drift('remote-drift');
    expect(fresh.state).toBe('up-to-date');
    expect(fresh.files.map(f => f.path)).toContain('job/main.py');
    expect(offered).toContain('data/big.bin');
    expect(fresh.files.map(f => f.path)).not.toContain('data/big.bin');

    edit('remote-drift', 'pipeline.yaml', text =>
      text.replace('alert_on_lag: 60', 'alert_on_lag: 90'),
    );
    expect(drifted(await drift('remote-drift'))).toEqual(
      expect.arrayContaining([
        { path: 'deploy/prometheus-rule.yaml', state: 'changed' },
      ]),
    );
    expect((await drift('remote-drift', bytesLimited)).errors).toEqual([
      {
        source: 'repository',
        message: `the files the generator may own in ${
          pathToFileURL(repo('remote-drift')).href
        }/ are larger than 50000 bytes together (streaming.drift.maxBytes)`,
      },
    ]);
  });

  it('reads a spec kept in a folder of the repository, where the generator does not put it', async () => {
    const name = 'nested-drift';
    fs.mkdirSync(path.join(repo(name), 'spec'));
    fs.renameSync(
      path.join(repo(name), 'pipeline.yaml'),
      path.join(repo(name), 'spec/pipeline.yaml'),
    );
    const answer = await drift(name);
    expect(answer.errors).toEqual([]);
    expect(drifted(answer)).toEqual([
      { path: 'pipeline.yaml', state: 'missing' },
    ]);
  });

  it('reuses an answer for streaming.drift.cacheTtl', async () => {
    const first = await drift('orders-drift', cached);
    expect(first.state).toBe('up-to-date');
    edit('orders-drift', 'Dockerfile', text => `${text}# by hand\n`);
    expect(await drift('orders-drift', cached)).toEqual(first);
    expect(drifted(await drift('orders-drift'))).toEqual([
      { path: 'Dockerfile', state: 'changed' },
    ]);
  });

  it('checks credentials and catalog visibility of the pipeline', async () => {
    expect(
      (
        await request(server).get(
          '/api/streaming/pipelines/default/orders-drift/drift',
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await request(server)
          .get('/api/streaming/pipelines/default/orders-drift/drift')
          .set('Authorization', mockCredentials.user.header(OUTSIDER))
      ).status,
    ).toBe(404);
  });
});
