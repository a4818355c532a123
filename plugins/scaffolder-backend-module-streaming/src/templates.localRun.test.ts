import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  TestKubernetes,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import git from 'isomorphic-git';
import { Admin, ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import fs from 'node:fs';
import { parse } from 'yaml';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { TEMPLATES_DIR } from './__testUtils__/templates';
import { templateValues } from './__testUtils__/templateValues';
import {
  KAFKA_BROKERS,
  templatesClusterConfig,
} from './__testUtils__/testEnvironment';

describe('Kafka to Delta, a real run on the local Kafka', () => {
  let kubernetes: TestKubernetes;
  const dir = createMockDirectory();
  const baseDir = dir.resolve('repos');
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;
  let admin: Admin;

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
    admin = new Kafka({
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
  }, 20 * 60_000);

  afterAll(async () => {
    await admin?.disconnect();
    await backend?.stop();
  });

  async function waitForTemplate() {
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
  }

  it('creates the topic, the repository, the catalog entity and the SparkApplication', async () => {
    await waitForTemplate();
    const values = templateValues['kafka-to-delta'](
      uniqueName('r').slice(0, 10),
    );
    const name = String(values.name);
    const task = await backend.runTask('template:default/kafka-to-delta', {
      ...values,
      kubernetesCluster: 'test',
    });
    expect({ status: task.status, log: task.log }).toEqual({
      status: 'completed',
      log: expect.arrayContaining([
        'Finished step Create the Kafka topic',
        'Finished step Register in the catalog',
      ]),
    });

    // The topic, with the settings of the form.
    const topic = String(values.topic);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0].partitions).toHaveLength(2);
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configNames: ['retention.ms'],
        },
      ],
    });
    expect(configs.resources[0].configEntries[0].configValue).toBe(
      String(24 * 3600000),
    );

    // The repository, with the generated files committed.
    const repoDir = `${baseDir}/${name}`;
    const files = await git.listFiles({ fs, dir: repoDir, ref: 'main' });
    expect(files).toEqual(
      expect.arrayContaining([
        'catalog-info.yaml',
        'pipeline.yaml',
        'job/main.py',
        'Dockerfile',
        'deploy/spark-application.yaml',
        'deploy/prometheus-rule.yaml',
        'mkdocs.yml',
      ]),
    );
    const spec = parse(fs.readFileSync(`${repoDir}/pipeline.yaml`, 'utf8'));
    expect(spec.pipeline).toMatchObject({
      name,
      owner: 'group:default/team-commerce',
      source: { type: 'kafka', topic, cluster: 'local' },
      sink: { type: 'delta', checkpoint: `/checkpoints/${name}` },
    });

    // The entity, read by the catalog through the file: URL.
    const entity = await waitFor(
      `the entity ${name} in the catalog`,
      async () => {
        const response = await backend.request<{
          metadata: { name: string };
          spec: { type: string };
        }>('GET', `/catalog/entities/by-name/component/default/${name}`);
        return response.status === 200 ? response.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(entity).toMatchObject({
      metadata: { name },
      spec: {
        type: 'streaming-pipeline',
        owner: 'group:default/team-commerce',
      },
    });
    expect(task.output.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entityRef: `component:default/${name}` }),
      ]),
    );

    // The SparkApplication, applied server-side.
    const { status, body } = await kubernetes.request(
      'GET',
      `/apis/sparkoperator.k8s.io/v1beta2/namespaces/streaming/sparkapplications/${name}`,
    );
    expect({ status, body }).toMatchObject({
      status: 200,
      body: {
        kind: 'SparkApplication',
        metadata: {
          name,
          annotations: {
            'streaming-platform.dev/owner-entity': `component:default/${name}`,
          },
        },
      },
    });

    // The maintenance job and the alert rules of deploy/, applied with it.
    for (const object of [
      `sparkoperator.k8s.io/v1beta2/namespaces/streaming/scheduledsparkapplications/${name}-maint`,
      `monitoring.coreos.com/v1/namespaces/streaming/prometheusrules/${name}-alerts`,
    ]) {
      const answer = await kubernetes.request('GET', `/apis/${object}`);
      expect({ object, status: answer.status }).toEqual({
        object,
        status: 200,
      });
      expect(answer.body).toMatchObject({
        metadata: {
          labels: { 'backstage.io/kubernetes-id': name },
          annotations: {
            'streaming-platform.dev/owner-entity': `component:default/${name}`,
          },
        },
      });
    }
    // Each object's result, in the task's log.
    for (const object of [
      `SparkApplication streaming/${name}`,
      `ScheduledSparkApplication streaming/${name}-maint`,
      `PrometheusRule streaming/${name}-alerts`,
    ]) {
      expect(task.log).toContainEqual(
        expect.stringMatching(new RegExp(`info\\S*: ${object} created \\{`)),
      );
    }

    // Nothing else was written next to the repository.
    expect(fs.readdirSync(baseDir)).toEqual([name]);
  }, 120_000);
});
