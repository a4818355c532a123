import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { metricsServiceFactory } from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_OWNER_ENTITY,
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_PIPELINE_SUMMARY_LOCATION,
  ANNOTATION_SPARK_APPLICATION,
  parsePipelineSpec,
  PipelineEnvironmentsResponse,
  PipelineLagResponse,
  PipelineStatusResponse,
  toPipelineSummary,
} from '@internal/plugin-streaming-common';
import {
  sharedBroker,
  TestKafka,
  TestKubernetes,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import request from 'supertest';
import { streamingPlugin } from './plugin';
import { prometheusExporterServiceFactory } from './services/Metrics/prometheusExporterServiceFactory';
import { parsePrometheusText } from './__testUtils__/prometheusText';
import { freePort } from './__testUtils__/testPrometheus';
import { openApiTestServer } from './__testUtils__/openApiTestServer';
import { progressEvent } from './__testUtils__/progressEvents';
import { sparkApplication } from './__testUtils__/sparkApplications';
import {
  catalogFactory,
  NO_COST_USER,
  OUTSIDER,
  permissionsFactory,
  pipelineEntity,
} from './__testUtils__/testEntities';

jest.setTimeout(180_000);

const ALICE = mockCredentials.user.header('user:default/alice');
const PIPELINE = 'orders-to-delta';
const CLUSTER = 'local-k8s';

/** A pipeline Component with the summary the catalog module writes for `spec`. */
function entityOf(
  specText: string,
  annotations: Record<string, string>,
): Entity {
  const { spec, errors } = parsePipelineSpec(specText);
  if (!spec) {
    throw new Error(JSON.stringify(errors));
  }
  const location = `url:https://example.com/pipelines/${spec.pipeline.name}/catalog-info.yaml`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: spec.pipeline.name,
      namespace: 'default',
      annotations: {
        [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify(toPipelineSummary(spec)),
        [ANNOTATION_PIPELINE_SUMMARY_LOCATION]: location,
        [ANNOTATION_LOCATION]: location,
        ...annotations,
      },
    },
    spec: {
      type: 'streaming-pipeline',
      lifecycle: 'production',
      owner: 'group:default/data-platform',
    },
  };
}

describe('pipeline environments on the real Kubernetes API server and broker', () => {
  const devNamespace = uniqueName('streaming-dev');
  const prodNamespace = uniqueName('streaming-prod');
  const topic = uniqueName('orders');
  const progressTopic = uniqueName('streaming.progress');
  let k8s: TestKubernetes;
  let kafka: TestKafka;
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;
  let metricsUrl: string;
  let devBatchStartedAt: Date;
  const scheduler = mockServices.scheduler();

  const get = (url: string, auth?: string) => {
    const req = request(server).get(`/api/streaming${url}`);
    return auth === undefined ? req : req.set('Authorization', auth);
  };

  /** Applies the SparkApplication as the apply action does, with the operator's status. */
  async function apply(namespace: string, image: string, state: string) {
    const { status, ...base } = sparkApplication({
      name: PIPELINE,
      namespace,
      state,
      ...(state === 'FAILED' ? { errorMessage: 'driver pod failed' } : {}),
    });
    await k8s.ok(
      'PATCH',
      `/apis/sparkoperator.k8s.io/v1beta2/namespaces/${namespace}/sparkapplications/${PIPELINE}?fieldManager=backstage-streaming`,
      {
        ...base,
        metadata: {
          name: PIPELINE,
          namespace,
          annotations: {
            [ANNOTATION_OWNER_ENTITY]: `component:default/${PIPELINE}`,
          },
        },
        spec: { ...(base.spec as object), image },
      },
      { contentType: 'application/apply-patch+yaml' },
    );
    await k8s.setSparkApplicationStatus(namespace, PIPELINE, status);
  }

  beforeAll(async () => {
    k8s = await TestKubernetes.start();
    await k8s.createNamespaces(devNamespace, prodNamespace);
    const read = [
      {
        apiGroups: ['sparkoperator.k8s.io'],
        resources: ['sparkapplications'],
        verbs: ['get'],
      },
    ];
    const token = await k8s.serviceAccountToken(devNamespace, 'backstage', {
      [devNamespace]: read,
      [prodNamespace]: read,
    });
    const clusters = k8s.appConfig([
      {
        name: CLUSTER,
        serviceAccountToken: token,
        defaultNamespace: devNamespace,
      },
    ]);
    await apply(devNamespace, 'streaming/orders-to-delta:1.5.0', 'RUNNING');
    await apply(prodNamespace, 'streaming/orders-to-delta:1.4.0', 'FAILED');

    kafka = await new TestKafka(await sharedBroker()).connect();
    await kafka.createTopic(`dev.${topic}`, 1);
    await kafka.createTopic(topic, 1);
    await kafka.createTopic(progressTopic, 1);
    await kafka.produce(`dev.${topic}`, [0], 100);
    await kafka.produce(topic, [0], 100);

    const spec = [
      'pipeline:',
      `  name: ${PIPELINE}`,
      '  owner: group:default/data-platform',
      '  source:',
      '    type: kafka',
      `    topic: ${topic}`,
      '    cluster: local',
      '    format: json',
      '    schema: schemas/order.avsc',
      '  sink:',
      '    type: delta',
      '    path: /data/delta/orders',
      '    mode: append',
      `    checkpoint: /checkpoints/${PIPELINE}`,
      '  monitoring:',
      '    alert_on_lag_messages: 1000',
      '  environments:',
      '    - name: dev',
      `      namespace: ${devNamespace}`,
      '      topic_prefix: dev.',
      '      table_prefix: dev_',
      '    - name: prod',
      `      namespace: ${prodNamespace}`,
    ].join('\n');

    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    const backend = await startTestBackend({
      features: [
        streamingPlugin,
        prometheusExporterServiceFactory,
        metricsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: clusters.kubernetes,
            streaming: {
              kubernetes: clusters.streaming.kubernetes,
              scaffolder: {
                sparkApplications: {
                  allowedNamespaces: [devNamespace, prodNamespace],
                },
              },
              progressTopic,
              progressConsumerGroup: uniqueName('backstage-progress'),
              kafka: {
                clusters: [{ name: 'local', brokers: [kafka.broker] }],
              },
              lag: { pollInterval: '1s' },
              alerts: { evaluateInterval: '1s' },
              prometheus: { port },
              status: { staleAfter: '2m' },
              cost: {
                currency: 'EUR',
                rates: { default: { coreHour: 0.05, gbHour: 0.01 } },
              },
            },
          },
        }),
        catalogFactory([
          // The annotation names prod's namespace: the routes of the
          // pipeline itself read its first environment's, dev.
          entityOf(spec, {
            [ANNOTATION_KAFKA_CLUSTER]: 'local',
            [ANNOTATION_SPARK_APPLICATION]: `${prodNamespace}/${PIPELINE}`,
            [ANNOTATION_KUBERNETES_CLUSTER]: CLUSTER,
          }),
          pipelineEntity({ name: 'plain', topic, cluster: 'local' }),
        ]),
        permissionsFactory(),
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    server = await openApiTestServer(backend.server);
    stop = () => backend.stop();

    // The dev job's progress, under its own key; prod has published none.
    // Its batch ran 90 s and ended 10 s ago.
    devBatchStartedAt = new Date(Date.now() - 100_000);
    await kafka.produceRecords(progressTopic, [
      {
        key: `${PIPELINE}@dev`,
        value: JSON.stringify(
          progressEvent({
            name: `${PIPELINE}@dev`,
            batchId: 0,
            timestamp: devBatchStartedAt,
            triggerMs: 90_000,
            topic: `dev.${topic}`,
            startOffsets: { 0: 0 },
            endOffsets: { 0: 60 },
            numInputRows: 60,
          }),
        ),
      },
    ]);
  }, 20 * 60_000);

  afterAll(async () => {
    await stop?.();
    await kafka?.close();
    await k8s?.deleteNamespaces(devNamespace, prodNamespace);
  });

  const environments = async (auth = ALICE) => {
    const res = await get(`/pipelines/default/${PIPELINE}/environments`, auth);
    expect(res.status).toBe(200);
    return res.body as PipelineEnvironmentsResponse;
  };

  it('reports each environment in promotion order: its SparkApplication, image, lag, health and cost', async () => {
    const body = await waitFor('the dev micro-batch', () => environments(), {
      until: b => b.environments[0]?.lastBatchAt !== null,
      intervalMs: 500,
    });
    expect(body.entityRef).toBe(`component:default/${PIPELINE}`);
    const [dev, prod] = body.environments;
    expect(body.environments).toHaveLength(2);

    expect(dev).toMatchObject({
      name: 'dev',
      namespace: devNamespace,
      kubernetesCluster: CLUSTER,
      queryName: `${PIPELINE}@dev`,
      state: 'RUNNING',
      image: 'streaming/orders-to-delta:1.5.0',
      health: 'ok',
      lag: { messages: 40 },
      next: 'prod',
    });
    expect(Date.parse(dev.lastBatchAt!)).toBe(devBatchStartedAt.getTime());
    // Counted from the batch's end, as the status counts it: about 10 s
    // (from its trigger's start it would be over 100 s).
    expect(dev.lastBatchAgeSeconds).toBeGreaterThanOrEqual(10);
    expect(dev.lastBatchAgeSeconds).toBeLessThan(60);

    expect(prod).toEqual({
      name: 'prod',
      namespace: prodNamespace,
      kubernetesCluster: CLUSTER,
      queryName: `${PIPELINE}@prod`,
      state: 'FAILED',
      image: 'streaming/orders-to-delta:1.4.0',
      // The application failed: critical whatever the lag.
      health: 'critical',
      lag: { messages: null, seconds: null },
      costPerDay: { amount: expect.any(Number), currency: 'EUR' },
      lastBatchAt: null,
      lastBatchAgeSeconds: null,
      next: null,
    });
    expect(dev.costPerDay).toEqual({
      amount: expect.any(Number),
      currency: 'EUR',
    });
    expect(dev.costPerDay!.amount).toBeGreaterThan(0);
  });

  it("serves the pipeline's own routes from its first environment, whatever namespace the annotation names", async () => {
    await waitFor(
      'the dev micro-batch',
      async () => (await environments()).environments[0].lastBatchAt,
      { until: at => at !== null, intervalMs: 500 },
    );
    const status = await get(`/pipelines/default/${PIPELINE}/status`, ALICE);
    expect(status.status).toBe(200);
    expect((status.body as PipelineStatusResponse).application).toMatchObject({
      namespace: devNamespace,
      state: 'RUNNING',
    });
    expect(status.body.application).not.toHaveProperty('image');

    const lag = (await get(`/pipelines/default/${PIPELINE}/lag`, ALICE))
      .body as PipelineLagResponse;
    expect(lag.totalMessages).toBe(40);
    expect(lag.partitions.map(p => p.topic)).toEqual([`dev.${topic}`]);

    const metrics = await get(`/pipelines/default/${PIPELINE}/metrics`, ALICE);
    expect(metrics.body.batches).toHaveLength(1);
    expect(
      (await get(`/pipelines/default/${PIPELINE}/cost`, ALICE)).status,
    ).toBe(200);
  });

  it("exports every environment's series, labelled as that environment's alert rules select them", async () => {
    const scrape = async () =>
      parsePrometheusText(await (await fetch(metricsUrl)).text()).filter(
        sample => sample.labels.pipeline === PIPELINE,
      );
    const samples = await waitFor(
      "dev's lag in the exported series",
      async () => {
        // The backend's own poll and evaluation, as its schedule runs them.
        await scheduler.triggerTask('streaming-offsets-poll');
        await scheduler.triggerTask('streaming-alerts-evaluate');
        return scrape();
      },
      {
        until: all =>
          all.some(
            s =>
              s.name === 'streaming_pipeline_lag_messages' &&
              s.labels.environment === 'dev',
          ),
        intervalMs: 500,
      },
    );
    const series = (name: string, environment: string) =>
      samples.filter(
        s =>
          s.name === name &&
          s.labels.environment === environment &&
          !Number.isNaN(s.value),
      );
    expect(
      series('streaming_pipeline_lag_messages', 'dev').map(s => s.value),
    ).toEqual([40]);
    expect(
      series('streaming_pipeline_health', 'dev').map(s => s.labels.health),
    ).toEqual(['ok']);
    // prod's own series: its FAILED application is critical there, and it
    // has no lag to report before its first micro-batch.
    expect(
      series('streaming_pipeline_health', 'prod').map(s => s.labels.health),
    ).toEqual(['critical']);
    expect(series('streaming_pipeline_lag_messages', 'prod')).toEqual([]);
    expect(
      series('streaming_pipeline_info', 'prod').map(s => s.labels.namespace),
    ).toEqual(['default']);
    expect(new Set(samples.map(s => s.labels.environment ?? '(none)'))).toEqual(
      new Set(['dev', 'prod']),
    );
  });

  it('answers an empty list for a pipeline without environments', async () => {
    const res = await get('/pipelines/default/plain/environments', ALICE);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: 'component:default/plain',
      environments: [],
    });
  });

  it('needs credentials, hides pipelines the caller cannot see, and shows cost only with streaming.cost.read', async () => {
    expect(
      (await get(`/pipelines/default/${PIPELINE}/environments`)).status,
    ).toBe(401);
    const outsider = await get(
      `/pipelines/default/${PIPELINE}/environments`,
      mockCredentials.user.header(OUTSIDER),
    );
    expect(outsider.status).toBe(404);
    expect(
      (await get('/pipelines/default/no-such-pipeline/environments', ALICE))
        .status,
    ).toBe(404);
    expect(
      (await get(`/pipelines/default/${PIPELINE}/environments?x=1`, ALICE))
        .status,
    ).toBe(400);

    const noCost = await environments(
      mockCredentials.user.header(NO_COST_USER),
    );
    expect(
      noCost.environments.map(e => [e.name, e.state, e.costPerDay]),
    ).toEqual([
      ['dev', 'RUNNING', null],
      ['prod', 'FAILED', null],
    ]);
    // The same user may not read the cost route itself.
    expect(
      (
        await get(
          `/pipelines/default/${PIPELINE}/cost`,
          mockCredentials.user.header(NO_COST_USER),
        )
      ).status,
    ).toBe(403);
  });
});
