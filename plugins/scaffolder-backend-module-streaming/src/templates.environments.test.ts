import { createMockDirectory } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  TestKubernetes,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import git from 'isomorphic-git';
import fs from 'node:fs';
import { parse } from 'yaml';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { TEMPLATES_DIR, loadTemplate } from './__testUtils__/templates';
import { templatesClusterConfig } from './__testUtils__/testEnvironment';
import { templateValues } from './__testUtils__/templateValues';

/**
 * The Environments field of a creating template (Kafka to Delta here; the
 * four share it), through the real scaffolder: the spec gets the list with
 * its own keys, the repository a deploy/ folder per environment, and Create
 * deploys the first one to its own Kubernetes cluster.
 */
describe('Kafka to Delta with environments', () => {
  let kubernetes: TestKubernetes;
  const dir = createMockDirectory();
  const baseDir = dir.resolve('repos');
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;

  beforeAll(async () => {
    kubernetes = await TestKubernetes.start();
    const clusters = await templatesClusterConfig(kubernetes);
    backend = await startScaffolderTestBackend({
      kubernetes: clusters.kubernetes,
      streaming: {
        kubernetes: clusters.streaming.kubernetes,
        scaffolder: { localPublish: { baseDir } },
      },
      locations: [`${TEMPLATES_DIR}/kafka-to-delta/template.yaml`],
    });
  }, 20 * 60_000);

  afterAll(async () => {
    await backend?.stop();
  });

  function values(overrides: JsonObject): JsonObject {
    return {
      ...templateValues['kafka-to-delta'](uniqueName('env').slice(0, 10)),
      createTopic: false,
      ...overrides,
    };
  }

  it('creates a repository with the environments and deploys the first to its cluster', async () => {
    await waitFor(
      'the template in the catalog',
      async () => {
        const { status } = await backend.request(
          'GET',
          '/catalog/entities/by-name/template/default/kafka-to-delta',
        );
        return status === 200 ? status : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    // The form's Kubernetes cluster is empty: the first environment's is
    // where Create deploys. `streaming` is the one namespace the test's
    // service account may write to; nothing may be applied in prod's.
    // Owned by the user who runs the task: Deploy refuses a pipeline already
    // in the catalog that someone else owns, and Register in the catalog runs
    // first, so whether the new entity is there by then is a race.
    const input = values({
      owner: 'user:default/mock',
      kubernetesCluster: '',
      environments: [
        {
          name: 'dev',
          namespace: 'streaming',
          kubernetesCluster: 'test',
          topicPrefix: 'dev.',
          tablePrefix: 'dev_',
        },
        { name: 'prod', namespace: 'streaming-prod', kafkaCluster: 'local' },
      ],
    });
    const name = String(input.name);
    const task = await backend.runTask(
      'template:default/kafka-to-delta',
      input,
    );
    expect({ status: task.status, log: task.log }).toEqual({
      status: 'completed',
      log: expect.arrayContaining([
        'Finished step Validate the pipeline spec',
        'Finished step Publish to a local repository',
        'Finished step Deploy to Kubernetes',
      ]),
    });

    const repoDir = `${baseDir}/${name}`;
    const files = await git.listFiles({ fs, dir: repoDir, ref: 'main' });
    expect(files).toEqual(
      expect.arrayContaining([
        'pipeline.yaml',
        'deploy/dev/spark-application.yaml',
        'deploy/dev/prometheus-rule.yaml',
        'deploy/prod/spark-application.yaml',
        'deploy/prod/prometheus-rule.yaml',
      ]),
    );
    expect(files).not.toContain('deploy/spark-application.yaml');
    // No manifest of its own in deploy/ (only the shared dashboard).
    expect(files.filter(f => /^deploy\/[^/]+\.yaml$/.test(f))).toEqual([]);

    // The items with the spec's keys, in the order of the form.
    const spec = parse(fs.readFileSync(`${repoDir}/pipeline.yaml`, 'utf8'));
    expect(spec.pipeline.environments).toEqual([
      {
        name: 'dev',
        namespace: 'streaming',
        kubernetes_cluster: 'test',
        topic_prefix: 'dev.',
        table_prefix: 'dev_',
      },
      { name: 'prod', namespace: 'streaming-prod', kafka_cluster: 'local' },
    ]);
    expect(
      parse(
        fs.readFileSync(
          `${repoDir}/deploy/prod/spark-application.yaml`,
          'utf8',
        ),
      ).metadata,
    ).toMatchObject({ name, namespace: 'streaming-prod' });

    // dev's SparkApplication on the first environment's cluster; none in prod's.
    const dev = await kubernetes.request(
      'GET',
      `/apis/sparkoperator.k8s.io/v1beta2/namespaces/streaming/sparkapplications/${name}`,
    );
    expect({ status: dev.status, body: dev.body }).toMatchObject({
      status: 200,
      body: { kind: 'SparkApplication', metadata: { name } },
    });
    const prod = await kubernetes.request(
      'GET',
      `/apis/sparkoperator.k8s.io/v1beta2/namespaces/streaming-prod/sparkapplications/${name}`,
    );
    expect(prod.status).toBe(404);
  }, 120_000);

  it('leaves environments out of the spec when the list is empty', async () => {
    const input = values({ kubernetesCluster: '', environments: [] });
    const { status, body } = await backend.dryRun(
      loadTemplate('kafka-to-delta'),
      input,
    );
    expect({ status, error: body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    expect(body.log.filter(l => l.body.status === 'failed')).toEqual([]);
    const files = Object.fromEntries(
      body.directoryContents.map(f => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ]),
    );
    expect(parse(files['pipeline.yaml']).pipeline).not.toHaveProperty(
      'environments',
    );
    expect(Object.keys(files)).toContain('deploy/spark-application.yaml');
    expect(Object.keys(files).filter(f => f.startsWith('deploy/dev/'))).toEqual(
      [],
    );
  }, 60_000);

  it('refuses two environments in the same namespace, naming the second', async () => {
    const input = values({
      kubernetesCluster: 'test',
      environments: [
        { name: 'dev', namespace: 'streaming', tablePrefix: 'dev_' },
        { name: 'prod', namespace: 'streaming', tablePrefix: 'prod_' },
      ],
    });
    const { status, body } = await backend.dryRun(
      loadTemplate('kafka-to-delta'),
      input,
    );
    expect(status).toBe(400);
    expect(body.error?.message).toMatch(/^The pipeline spec is invalid:\n/);
    expect(body.error?.message).toContain('pipeline.environments[1].namespace');
    expect(body.error?.message).toContain(
      'environments dev and prod would run the same SparkApplication',
    );
    // Refused before anything was published.
    expect(fs.existsSync(`${baseDir}/${input.name}`)).toBe(false);
  }, 60_000);
});
