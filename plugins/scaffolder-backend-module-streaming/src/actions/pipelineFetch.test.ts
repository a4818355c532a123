import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import {
  createMockDirectory,
  mockServices,
  ServiceFactoryTester,
} from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, UserEntity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_PIPELINE_SPEC,
  parsePipelineSpec,
} from '@internal/plugin-streaming-common';
import {
  GENERATOR_VERSION,
  renderPipeline,
} from '@internal/plugin-streaming-codegen';
import fs from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { invokeAction } from '../__testUtils__/invokeAction';
import { runExample } from '../__testUtils__/runExample';
import { localRepoUrlReaderFactory } from '../services/LocalRepoUrlReader/localRepoUrlReaderFactory';
import { createPipelineFetchAction } from './pipelineFetch';
import { examples } from './pipelineFetch.examples';
import { createPipelineRenderAction } from './pipelineRender';

const alice: { ref: string; entity: UserEntity } = {
  ref: 'user:default/alice',
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: { memberOf: [] },
  },
};

const deployed = `pipeline:
  name: orders-to-delta
  owner: user:default/alice
  source:
    type: kafka
    topic: orders
    format: json
    fields:
      - { name: order_id, type: string }
      - { name: total, type: double }
  sink:
    type: delta
    path: /data/delta/order_facts
    mode: append
    checkpoint: /checkpoints/orders-to-delta
  monitoring:
    alert_on_lag: 60
`;

describe('streaming:pipeline:fetch', () => {
  const dir = createMockDirectory();
  const baseDir = join(dir.path, 'repos');
  const repoDir = join(baseDir, 'orders-to-delta');
  const workspacePath = join(dir.path, 'workspace');
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({ integrations: { github: [{ host: 'github.com' }] } }),
  );
  let action: ReturnType<typeof createPipelineFetchAction>;

  const entity = (name: string, location: string, owner = alice.ref) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        [ANNOTATION_PIPELINE_SPEC]: './pipeline.yaml',
        [ANNOTATION_LOCATION]: location,
      },
    },
    spec: { type: 'streaming-pipeline', lifecycle: 'production', owner },
  });

  beforeAll(async () => {
    const data = { streaming: { scaffolder: { localPublish: { baseDir } } } };
    const factories = await ServiceFactoryTester.from(
      localRepoUrlReaderFactory,
      { dependencies: [mockServices.rootConfig.factory({ data })] },
    ).getSubject();
    const reader = UrlReaders.create({
      config: mockServices.rootConfig({ data }),
      logger: mockServices.logger.mock(),
      factories: [factories].flat(),
    });
    const catalogInfo = pathToFileURL(join(repoDir, 'catalog-info.yaml')).href;
    action = createPipelineFetchAction({
      reader,
      integrations,
      localBaseDir: baseDir,
      catalog: catalogServiceMock({
        entities: [
          entity('orders-to-delta', `url:${catalogInfo}`),
          entity('bobs', `url:${catalogInfo}`, 'user:default/bob'),
          entity('on-disk', `file:${join(repoDir, 'catalog-info.yaml')}`),
        ],
      }),
    });
  });

  beforeEach(() => {
    dir.clear();
    fs.mkdirSync(workspacePath, { recursive: true });
    fs.mkdirSync(repoDir, { recursive: true });
    for (const file of renderPipeline(parsePipelineSpec(deployed).spec!, {
      specText: deployed,
    })) {
      fs.mkdirSync(join(repoDir, file.path, '..'), { recursive: true });
      fs.writeFileSync(join(repoDir, file.path), file.content);
    }
  });

  const run = (input: object, options = {}) =>
    invokeAction(
      action,
      { entityRef: 'component:default/orders-to-delta', ...input },
      { workspacePath, user: alice, ...options },
    );

  it('fetches the repository and outputs its spec, where to publish and the versions', async () => {
    const outputs = await run({});
    expect(outputs).toEqual({
      pipelineName: 'orders-to-delta',
      specText: deployed,
      localRepoName: 'orders-to-delta',
      repoUrl: '',
      generatorVersion: {
        repository: GENERATOR_VERSION,
        current: GENERATOR_VERSION,
      },
      checkpointChanges: [],
      summary: expect.stringContaining(
        `generator ${GENERATOR_VERSION} → ${GENERATOR_VERSION}, the repository's pipeline.yaml.`,
      ),
    });
    expect(fs.readFileSync(join(workspacePath, 'job/main.py'), 'utf8')).toBe(
      fs.readFileSync(join(repoDir, 'job/main.py'), 'utf8'),
    );
  });

  it('refuses, in dry run too, a change that breaks the checkpoint, listing it', async () => {
    const breaking = deployed.replace('topic: orders', 'topic: orders-v2');
    for (const isDryRun of [true, false]) {
      await expect(run({ specText: breaking }, { isDryRun })).rejects.toThrow(
        [
          'specText: this change breaks the checkpoint /checkpoints/orders-to-delta; a restarted query could not use it:',
          '- source (`pipeline.source`): {"type":"kafka","topic":"orders"} → {"type":"kafka","topic":"orders-v2"}',
          'Set a new sink.checkpoint in the spec',
        ].join('\n'),
      );
    }
  });

  it('accepts it with a new checkpoint, and says to backfill', async () => {
    const outputs = await run({
      specText: deployed
        .replace('topic: orders', 'topic: orders-v2')
        .replace(
          '/checkpoints/orders-to-delta',
          '/checkpoints/orders-to-delta-v2',
        ),
    });
    expect(outputs.checkpointChanges).toEqual([
      expect.objectContaining({ what: 'source', path: 'pipeline.source' }),
    ]);
    expect(outputs.summary).toContain(
      'New checkpoint /checkpoints/orders-to-delta-v2 (was /checkpoints/orders-to-delta)',
    );
    expect(outputs.summary).toContain('backfill');
  });

  it('refuses a pipeline the user does not own, one registered from a file location, and a renamed spec', async () => {
    await expect(run({ entityRef: 'component:default/bobs' })).rejects.toThrow(
      'it is not updated',
    );
    await expect(
      run({ entityRef: 'component:default/on-disk' }),
    ).rejects.toThrow('only a repository the scaffolder can fetch');
    await expect(
      run({
        specText: deployed.replace('name: orders-to-delta', 'name: other'),
      }),
    ).rejects.toThrow('a pipeline keeps its name');
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const [outputs] = await runExample(action, example, {
        workspacePath,
        user: alice,
      });
      expect(outputs.localRepoName).toBe('orders-to-delta');
      // The render step of the example, as the template runs it.
      await invokeAction(
        createPipelineRenderAction({ integrations }),
        { specText: outputs.specText, optionsFromRepository: true },
        { workspacePath },
      );
      const threshold = outputs.specText.includes('alert_on_lag: 30') ? 30 : 60;
      expect(
        fs.readFileSync(
          join(workspacePath, 'deploy/prometheus-rule.yaml'),
          'utf8',
        ),
      ).toContain(
        `max(streaming_pipeline_lag_seconds{pipeline="orders-to-delta"}) > ${threshold}\n`,
      );
    },
  );
});
