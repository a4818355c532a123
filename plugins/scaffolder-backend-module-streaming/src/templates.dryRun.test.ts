import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  TestKubernetes,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import fs from 'node:fs';
import { parse } from 'yaml';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { loadTemplate, templateNames } from './__testUtils__/templates';
import { templatesClusterConfig } from './__testUtils__/testEnvironment';
import { templateValues } from './__testUtils__/templateValues';

describe('templates, through the scaffolder in dry run', () => {
  let kubernetes: TestKubernetes;
  const dir = createMockDirectory();
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;

  beforeAll(async () => {
    kubernetes = await TestKubernetes.start();
    const clusters = await templatesClusterConfig(kubernetes);
    backend = await startScaffolderTestBackend({
      kubernetes: clusters.kubernetes,
      streaming: {
        kubernetes: clusters.streaming.kubernetes,
        scaffolder: { localPublish: { baseDir: dir.resolve('repos') } },
      },
    });
  }, 20 * 60_000);

  afterAll(async () => {
    await backend?.stop();
  });

  it('covers every template in the folder', () => {
    expect(templateNames()).toEqual(Object.keys(templateValues).sort());
  });

  it.each(Object.keys(templateValues))(
    '%s: every step runs and the generated files are valid',
    async name => {
      const values = templateValues[name](uniqueName('p').slice(0, 10));
      const { status, body } = await backend.dryRun(loadTemplate(name), {
        ...values,
        kubernetesCluster: 'test',
      });
      const messages = (body.log ?? []).map(l => l.body.message);
      expect({ status, messages }).toEqual({
        status: 200,
        messages: expect.any(Array),
      });
      expect(body.log.filter(l => l.body.status === 'failed')).toEqual([]);
      expect(messages).toEqual(
        expect.arrayContaining([
          'Finished step Validate the pipeline spec',
          'Finished step Generate the job, manifests and docs',
          'Finished step Publish to a local repository',
          'Finished step Deploy to Kubernetes',
        ]),
      );
      const files = Object.fromEntries(
        body.directoryContents.map(f => [
          f.path,
          Buffer.from(f.base64Content, 'base64').toString('utf8'),
        ]),
      );
      expect(Object.keys(files)).toEqual(
        expect.arrayContaining([
          'catalog-info.yaml',
          'pipeline.yaml',
          'job/main.py',
          'deploy/spark-application.yaml',
        ]),
      );
      expect(parse(files['catalog-info.yaml'])).toMatchObject({
        kind: 'Component',
        metadata: { name: values.name },
        spec: { type: 'streaming-pipeline', owner: values.owner },
      });
      // The API server validated the SparkApplication (dryRun=All) and kept nothing.
      const stored = await kubernetes.request(
        'GET',
        `/apis/sparkoperator.k8s.io/v1beta2/namespaces/streaming/sparkapplications/${values.name}`,
      );
      expect(stored.status).toBe(404);
      expect(fs.existsSync(dir.resolve('repos', String(values.name)))).toBe(
        false,
      );
    },
    60_000,
  );
});
