// A pipeline deployed to two environments: its Streaming tab shows the
// Environments card with each environment's values as the backend's
// environments route reports them, side by side in promotion order, and the
// other cards say they show the first environment. The pipeline is a fixture
// of this test (a repository rendered by the generator, registered and
// unregistered here), not one of the examples `make start` runs. Then its
// generated job runs in dev, as dev's SparkApplication sets it up, and the
// card shows dev healthy from that job's own progress.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import type { Browser } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { apiGet, backendUrl, guestToken } from '../lib/api.mts';
import {
  launch,
  openApp,
  screenshot,
  screenshotDir,
  waitUntil,
} from '../lib/browser.mts';
import {
  registerRepository,
  tokenOwner,
  writePipelineRepository,
} from '../lib/pipelineRepository.mts';

interface EnvironmentStatus {
  name: string;
  namespace: string;
  kubernetesCluster?: string;
  health: 'ok' | 'warning' | 'critical' | 'stale' | 'unknown';
  state: string | null;
  image: string | null;
  lag: { messages: number | null; seconds: number | null };
  costPerDay: { amount: number; currency: string } | null;
  lastBatchAt: string | null;
  next: string | null;
}

const HEALTH: Record<EnvironmentStatus['health'], string> = {
  ok: 'Healthy',
  warning: 'Warning',
  critical: 'Critical',
  stale: 'Stale',
  unknown: 'Unknown',
};

/** The cost per day as the card writes it (the plugin's formatValue). */
function perDay(cost: { amount: number; currency: string }) {
  return `${new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: cost.currency,
    maximumFractionDigits: Math.abs(cost.amount) < 10 ? 2 : 0,
    minimumFractionDigits: 0,
  }).format(cost.amount)}/day`;
}

let browser: Browser;
let token: string;
let locationId: string | undefined;
let repo: string | undefined;
let job: ChildProcess | undefined;
let jobDir: string | undefined;
const name = `e2e-envs-${randomBytes(3).toString('hex')}`;
const root = resolve(import.meta.dirname, '../..');
const kafka = new Kafka({
  brokers: ['127.0.0.1:9092'],
  clientId: 'e2e-environments',
  logLevel: logLevel.NOTHING,
});
before(async () => {
  browser = await launch();
  token = await guestToken();
});
after(async () => {
  if (job?.pid && job.exitCode === null) {
    // The job's graceful stop (its Python process stops its queries and the
    // JVM), then its whole process group if it hangs.
    const exited = new Promise(r => job!.once('exit', r));
    process.kill(job.pid, 'SIGTERM');
    const timeout = new Promise(r => setTimeout(r, 60_000, 'timeout'));
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      process.kill(-job.pid, 'SIGKILL');
    }
  }
  if (jobDir) rmSync(jobDir, { recursive: true, force: true });
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [`dev.${name}`] }).catch(() => {});
  await admin.disconnect();
  await browser?.close();
  if (locationId) {
    await fetch(`${backendUrl}/api/catalog/locations/${locationId}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    });
  }
  if (repo) rmSync(repo, { recursive: true, force: true });
});

test('the Environments card shows each environment of a pipeline with dev and prod', async () => {
  ({ repo } = writePipelineRepository(name, tokenOwner(token), [
    '  resources:',
    '    driver: { cores: 1, memory: 2g }',
    '    executor: { cores: 2, memory: 4g, instances: 4 }',
    '  environments:',
    '    - name: dev',
    '      namespace: streaming-dev',
    '      topic_prefix: dev.',
    '      table_prefix: dev_',
    '      resources:',
    '        executor: { cores: 1, memory: 1g, instances: 1 }',
    '    - name: prod',
    '      namespace: streaming-prod',
  ]));
  locationId = await registerRepository(repo, token);

  // registerRepository waited for the catalog; the streaming backend reads
  // the entity through its own per-caller cache (streaming.catalog.cacheTtl),
  // so its route is polled until it answers with both environments.
  const answer = await waitUntil(
    `the environments of ${name}`,
    () =>
      apiGet<{ environments: EnvironmentStatus[] }>(
        `pipelines/default/${name}/environments`,
        token,
      ).catch(() => undefined),
    a => a !== undefined && a.environments.length === 2,
    120_000,
  );
  const [dev, prod] = answer!.environments;
  assert.deepEqual(
    [dev.name, dev.namespace, dev.next, prod.name, prod.namespace, prod.next],
    ['dev', 'streaming-dev', 'prod', 'prod', 'streaming-prod', null],
  );

  const page = await openApp(
    browser,
    `/catalog/default/component/${name}/streaming`,
  );
  const columns = page.getByRole('region', { name: /^Environment / });
  await page.getByRole('region', { name: 'Environment prod' }).waitFor();
  assert.deepEqual(
    await columns.evaluateAll(els =>
      els.map(e => e.getAttribute('aria-label')),
    ),
    ['Environment dev', 'Environment prod'],
  );
  for (const env of [dev, prod]) {
    const column = page.getByRole('region', {
      name: `Environment ${env.name}`,
    });
    const text = ((await column.textContent()) ?? '').replace(/\s+/g, ' ');
    const expected = [
      env.name,
      env.namespace,
      HEALTH[env.health],
      env.state ?? 'none found',
      env.image ? '' : 'no image',
      env.costPerDay ? perDay(env.costPerDay) : 'unknown',
      env.lastBatchAt ? ' ago' : 'none yet',
      env.kubernetesCluster ? ` on ${env.kubernetesCluster}` : '',
    ];
    for (const value of expected.filter(Boolean)) {
      assert.ok(
        text.includes(value),
        `environment ${env.name} shows ${value}: ${text}`,
      );
    }
  }
  // A smaller dev costs less than prod: the card shows each one's own cost.
  if (dev.costPerDay && prod.costPerDay) {
    assert.ok(dev.costPerDay.amount < prod.costPerDay.amount);
  }

  // The other cards show the first environment and say so.
  await page.getByText('Environment: dev').first().waitFor();

  await screenshot(page, 'environments-tab');

  // Promote to prod: a link to the template unless dev is not ready, then
  // disabled, its tooltip saying why.
  const card = page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Environments', { exact: true }) });
  await card.scrollIntoViewIfNeeded();
  const promote = card.getByText('Promote to prod', { exact: true });
  await promote.waitFor();
  const link = card.locator('a', { has: promote });
  if (dev.health === 'ok' && dev.image) {
    const href = new URL((await link.getAttribute('href'))!, backendUrl);
    assert.equal(href.pathname, '/create/templates/default/promote-pipeline');
    assert.deepEqual(JSON.parse(href.searchParams.get('formData')!), {
      entityRef: `component:default/${name}`,
      from: 'dev',
      to: 'prod',
    });
  } else {
    assert.equal(await link.count(), 0);
    assert.ok(
      await card.getByRole('button', { name: 'Promote to prod' }).isDisabled(),
    );
    await card.getByTestId('promote-dev-blocked').hover();
    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor();
    assert.match((await tooltip.textContent()) ?? '', /^dev's health is /);
  }
  // The card alone, with the tooltip when there is one.
  await card.screenshot({ path: join(screenshotDir, 'environments-card.png') });
  await page.close();
});

/** The values dev's generated SparkApplication gives its driver (not Secrets). */
function devDriverVariables(): Record<string, string> {
  const manifest = parseYaml(
    readFileSync(join(repo!, 'deploy/dev/spark-application.yaml'), 'utf8'),
  ) as { spec: { driver: { env: Array<{ name: string; value?: string }> } } };
  return Object.fromEntries(
    manifest.spec.driver.env
      .filter(v => v.value !== undefined)
      .map(v => [v.name, v.value!]),
  );
}

test("dev's generated job, run as dev's SparkApplication sets it up, makes dev healthy on the card", async () => {
  assert.ok(repo, 'the first test wrote the repository');
  const variables = devDriverVariables();
  // dev reads its own prefixed topic and keys its progress <pipeline>@dev.
  assert.equal(variables.PIPELINE_ENVIRONMENT, 'dev');
  assert.equal(variables.PIPELINE_SOURCE_TOPIC, `dev.${name}`);

  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: `dev.${name}`, numPartitions: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: `dev.${name}`,
    messages: Array.from({ length: 50 }, (_, i) => ({
      value: JSON.stringify({ order_id: `o-${i}`, total: i * 1.5 }),
    })),
  });
  await producer.disconnect();

  // The job as dev's driver runs it, with this machine's broker, a local
  // table and checkpoint, and the backend's progress topic.
  jobDir = mkdtempSync(join(tmpdir(), 'e2e-envs-job-'));
  job = spawn(
    'bash',
    ['scripts/spark.sh', 'python', join(repo!, 'job/main.py')],
    {
      cwd: root,
      detached: true,
      stdio: 'ignore',
      env: {
        ...process.env,
        ...variables,
        KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092',
        PIPELINE_STARTING_OFFSETS: 'earliest',
        PIPELINE_SINK_PATH: join(jobDir, 'delta'),
        PIPELINE_CHECKPOINT: join(jobDir, 'checkpoint'),
        STREAMING_PROGRESS_TOPIC: process.env.E2E_PROGRESS_TOPIC!,
        TZ: 'UTC',
      },
    },
  );

  // Lag is unknown (null) until the offsets poller, every 10 s, has read the
  // end offsets of dev's new topic; then it is known with the micro-batch.
  const answer = await waitUntil(
    "dev's first micro-batch and its lag on the environments route",
    () =>
      apiGet<{ environments: EnvironmentStatus[] }>(
        `pipelines/default/${name}/environments`,
        token,
      ).catch(() => undefined),
    a =>
      a?.environments[0]?.lastBatchAt != null &&
      a.environments[0].lag.messages != null,
    6 * 60_000,
    2_000,
  );
  const [dev, prod] = answer!.environments;
  // The job read all 50 records: dev is healthy with no lag; prod ran nothing.
  assert.equal(dev.health, 'ok');
  assert.equal(dev.lag.messages, 0);
  assert.equal(prod.lastBatchAt, null);
  assert.equal(prod.health, 'unknown');

  const page = await openApp(
    browser,
    `/catalog/default/component/${name}/streaming`,
  );
  const column = page.getByRole('region', { name: 'Environment dev' });
  await column.getByText('Healthy').waitFor();
  const text = ((await column.textContent()) ?? '').replace(/\s+/g, ' ');
  assert.ok(text.includes(' ago'), `dev shows its last micro-batch: ${text}`);
  assert.ok(!text.includes('none yet'), text);
  const prodText = (
    (await page
      .getByRole('region', { name: 'Environment prod' })
      .textContent()) ?? ''
  ).replace(/\s+/g, ' ');
  assert.ok(prodText.includes('none yet'), prodText);
  // Healthy but running no image here (no Kubernetes): still nothing to promote.
  const card = page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Environments', { exact: true }) });
  await card.scrollIntoViewIfNeeded();
  await card.getByTestId('promote-dev-blocked').hover();
  const tooltip = page.getByRole('tooltip');
  await tooltip.waitFor();
  assert.equal(
    (await tooltip.textContent())?.trim(),
    'dev runs no image yet: there is nothing to promote.',
  );
  await card.screenshot({
    path: join(screenshotDir, 'environments-card-dev-healthy.png'),
  });
  await page.close();
});
