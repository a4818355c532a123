import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { metricsServiceFactory } from '@backstage/backend-defaults/alpha';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  pipelineDashboard,
  platformDashboard,
  renderPipeline,
} from '@internal/plugin-streaming-codegen';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { streamingPlugin } from './plugin';
import { prometheusExporterServiceFactory } from './services/Metrics/prometheusExporterServiceFactory';
import { LoopbackProviders } from './__testUtils__/loopbackProviders';
import { parsePrometheusText } from './__testUtils__/prometheusText';
import { progressEvent } from './__testUtils__/progressEvents';
import {
  catalogFactory,
  permissionsFactory,
  pipelineEntity,
  pipelineSpecText,
} from './__testUtils__/testEntities';
import {
  sharedBroker,
  TestKafka,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import {
  freePort,
  installPrometheus,
  PrometheusAlert,
  TestAlertmanager,
  TestPrometheus,
} from './__testUtils__/testPrometheus';

jest.setTimeout(240_000);

/** Short `for:` of the test configuration (the generated rules say 5m). */
const FOR_SECONDS = 5;

describe('generated alerts on a real Prometheus scraping the backend', () => {
  const name = uniqueName('lagging').replace(/[^a-z0-9-]/g, '');
  const topic = uniqueName('alert-events');
  const progressTopic = uniqueName('streaming.progress');
  const scheduler = mockServices.scheduler();
  const options = {
    name,
    topic,
    cluster: 'local',
    lagMessages: 50,
    alertChannel: 'slack',
  };
  let kafka: TestKafka;
  let prometheus: TestPrometheus | undefined;
  let alertmanager: TestAlertmanager | undefined;
  let providers: LoopbackProviders | undefined;
  let secrets: string | undefined;
  let stopBackend: (() => Promise<void>) | undefined;
  let clock: NodeJS.Timeout | undefined;
  let metricsUrl: string;
  let batchId = 0;

  const publishProgress = (endOffset: number) =>
    kafka.produceRecords(progressTopic, [
      {
        key: name,
        value: JSON.stringify(
          progressEvent({
            name,
            batchId: batchId++,
            timestamp: new Date(),
            topic,
            startOffsets: { 0: 0 },
            endOffsets: { 0: endOffset },
          }),
        ),
      },
    ]);

  beforeAll(async () => {
    await installPrometheus();
    kafka = await new TestKafka(await sharedBroker()).connect();
    await kafka.createTopic(topic, 1);
    await kafka.createTopic(progressTopic, 1);
    await kafka.produce(topic, [0], 100);
    await publishProgress(100);

    // Alertmanager, started with nothing to route; the backend writes its routing.
    providers = await new LoopbackProviders().start();
    secrets = await mkdtemp(path.join(os.tmpdir(), 'alert-secrets-'));
    await writeFile(
      path.join(secrets, 'slack-url'),
      `${providers.httpUrl}/slack/services/T000/B000/XXXXXXXX`,
    );
    alertmanager = await TestAlertmanager.start({
      route: { receiver: 'none' },
      receivers: [{ name: 'none' }],
    });

    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    const backend = await startTestBackend({
      features: [
        streamingPlugin,
        prometheusExporterServiceFactory,
        metricsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            streaming: {
              progressTopic,
              progressConsumerGroup: uniqueName('backstage-progress'),
              kafka: {
                clusters: [{ name: 'local', brokers: [kafka.broker] }],
              },
              lag: { pollInterval: '1s' },
              alerts: { evaluateInterval: '1s' },
              status: { staleAfter: '10m' },
              prometheus: { port },
              alerting: {
                alertmanager: {
                  configFile: path.join(alertmanager.dir, 'alertmanager.yml'),
                  reloadUrl: `${alertmanager.url}/-/reload`,
                  groupWait: '1s',
                  groupInterval: '1s',
                },
                receivers: [
                  {
                    name: 'data-alerts',
                    slack: {
                      apiUrlFile: path.join(secrets, 'slack-url'),
                      channel: '#data-alerts',
                    },
                  },
                ],
                channels: { slack: 'data-alerts' },
              },
            },
          },
        }),
        catalogFactory([pipelineEntity(options)]),
        permissionsFactory(),
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
      ],
    });
    stopBackend = () => backend.stop();
    // The backend's own poll and evaluation tasks, once a second.
    clock = setInterval(async () => {
      await scheduler.triggerTask('streaming-offsets-poll');
      await scheduler.triggerTask('streaming-alerts-evaluate');
    }, 1000);
  });

  afterAll(async () => {
    if (clock) clearInterval(clock);
    await prometheus?.stop();
    await alertmanager?.stop();
    await providers?.stop();
    if (secrets) await rm(secrets, { recursive: true, force: true });
    await stopBackend?.();
    await kafka?.close();
  });

  const lagSample = async () =>
    parsePrometheusText(await (await fetch(metricsUrl)).text()).find(
      s =>
        s.name === 'streaming_pipeline_lag_messages' &&
        s.labels.pipeline === name,
    )?.value;

  it('fires the lag alert within its for: while the job is paused, and resolves when it catches up', async () => {
    expect(await waitFor('lag 0', lagSample, { until: v => v === 0 })).toBe(0);

    // The generated rule groups, with the test's short for:.
    const { spec } = parsePipelineSpec(pipelineSpecText(options));
    const rule = parseYaml(
      renderPipeline(spec!, {
        techdocsBaseUrl: `https://backstage.example.com/docs/default/component/${name}`,
      }).find(f => f.path === 'deploy/prometheus-rule.yaml')!.content,
    );
    const groups = rule.spec.groups.map(
      (g: { rules: Array<Record<string, unknown>> }) => ({
        ...g,
        interval: '1s',
        rules: g.rules.map(r => ({ ...r, for: `${FOR_SECONDS}s` })),
      }),
    );
    prometheus = await TestPrometheus.start({
      target: new URL(metricsUrl).host,
      groups,
      alertmanager: alertmanager!.url,
    });
    const lagAlerts = async () =>
      (await prometheus!.alerts()).filter(
        a =>
          a.labels.pipeline === name &&
          a.labels.alertname.endsWith('LagMessages'),
      );
    // Scraped and evaluated: no alert while the job keeps up.
    await waitFor(
      'the first scrape',
      () =>
        prometheus!.get<{ result: unknown[] }>(
          `/api/v1/query?query=streaming_pipeline_lag_messages{pipeline="${name}"}`,
        ),
      { until: d => d.result.length > 0 },
    );
    expect(await lagAlerts()).toEqual([]);

    // Paused: the topic grows, the job reports no progress.
    const pausedAt = Date.now();
    await kafka.produce(topic, [0], 200);
    const pending = await waitFor('a pending critical alert', lagAlerts, {
      until: alerts => alerts.some(a => a.labels.severity === 'critical'),
    });
    expect(pending.map(a => a.state)).toEqual(['pending', 'pending']);
    const firing = await waitFor('firing alerts', lagAlerts, {
      until: alerts =>
        alerts.length === 2 && alerts.every(a => a.state === 'firing'),
    });
    const firedAt = Date.now();
    const critical = firing.find(
      a => a.labels.severity === 'critical',
    ) as PrometheusAlert;
    expect(critical.labels).toMatchObject({
      alertname: expect.stringMatching(/LagMessages$/),
      pipeline: name,
      channel: 'slack',
      severity: 'critical',
    });
    expect(critical.annotations.runbook_url).toBe(
      `https://backstage.example.com/docs/default/component/${name}/runbook/#lag`,
    );
    expect(Number(critical.value)).toBe(200);
    // Not before its for:, and within for: plus a few scrape and evaluation rounds.
    const activeAt = Date.parse(critical.activeAt);
    expect(firedAt - activeAt).toBeGreaterThanOrEqual(FOR_SECONDS * 1000);
    expect(firedAt - pausedAt).toBeLessThan((FOR_SECONDS + 15) * 1000);

    // Routed by the generated Alertmanager configuration to the pipeline's channel.
    const slack = () =>
      providers!.deliveries.filter(d => d.provider === 'slack');
    const [delivered] = await waitFor(
      'the Slack message',
      async () => slack(),
      { until: d => d.length > 0 },
    );
    expect(delivered.body).toMatchObject({
      channel: '#data-alerts',
      attachments: [
        {
          title: `[FIRING] ${critical.labels.alertname} (critical)`,
          title_link: critical.annotations.runbook_url,
          color: 'danger',
        },
      ],
    });

    // Resumed: the job processes up to the end of the topic.
    const resumedAt = Date.now();
    await publishProgress(300);
    await waitFor('no lag alert', lagAlerts, {
      until: alerts => alerts.length === 0,
    });
    const resolvedAt = Date.now();
    expect(await lagSample()).toBe(0);
    const resolvedMessage = (
      await waitFor('the resolved Slack message', async () => slack(), {
        until: d => d.length > 1,
      })
    )[1];
    expect(resolvedMessage.body.attachments[0]).toMatchObject({
      title: `[RESOLVED] ${critical.labels.alertname} (critical)`,
      color: 'good',
    });
    // One message per transition (the warning is inhibited by the critical).
    expect(slack()).toHaveLength(2);
    // Every query of the generated dashboards runs on this Prometheus.
    const dashboards = [pipelineDashboard(spec!), platformDashboard()];
    const queries = dashboards.flatMap(d =>
      (d.panels as Array<{ targets: Array<{ expr: string }> }>).flatMap(p =>
        p.targets.map(t => t.expr),
      ),
    );
    for (const expr of queries) {
      const res = await fetch(
        `${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      expect({ expr, status: res.status }).toEqual({ expr, status: 200 });
    }
    const lagPanel = await prometheus.get<{
      result: Array<{ value: [number, string] }>;
    }>(`/api/v1/query?query=${encodeURIComponent(queries[0])}`);
    expect(lagPanel.result.map(r => r.value[1])).toEqual(['0']);

    const at = (t: number, from?: number) =>
      `${new Date(t).toISOString()}${
        from ? ` (+${((t - from) / 1000).toFixed(1)} s)` : ''
      }`;
    // eslint-disable-next-line no-console
    console.log(
      [
        `paused (200 messages produced, no progress): ${at(pausedAt)}`,
        `critical alert active (pending) since:       ${critical.activeAt}`,
        `firing:                                      ${at(firedAt, pausedAt)}`,
        `Slack message [FIRING] received:             ${at(
          delivered.at,
          pausedAt,
        )}`,
        `resumed (progress up to the end offset):     ${at(resumedAt)}`,
        `alert gone from Prometheus:                  ${at(
          resolvedAt,
          resumedAt,
        )}`,
        `Slack message [RESOLVED] received:           ${at(
          resolvedMessage.at,
          resumedAt,
        )}`,
      ].join('\n'),
    );
  });
});
