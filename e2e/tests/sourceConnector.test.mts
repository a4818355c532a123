// The CDC Postgres pipeline's Streaming tab shows the state of the Debezium
// connector that feeds it: the connector `make start` creates
// (scripts/demo-cdc.sh) on the real Kafka Connect worker, read by the
// backend's connectors route. A pipeline no connector feeds has no such card.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launch, openApp, screenshot } from '../lib/browser.mts';

const root = resolve(import.meta.dirname, '../..');
const CONNECTOR = 'cdc-postgres-users';
const TOPIC = 'dbserver1.public.users';

let browser: Browser;
before(async () => {
  // The database, table and connector of make start's CDC demo (idempotent);
  // its writer session is not needed here.
  execFileSync('bash', ['scripts/demo-cdc.sh', 'start', '1'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  execFileSync('bash', ['scripts/demo-cdc.sh', 'stop'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("the CDC pipeline's Streaming tab shows its Debezium connector running, with its cluster, topic and task", async () => {
  const page = await openApp(
    browser,
    '/catalog/default/component/cdc-postgres-users/streaming',
  );
  const card = page.getByRole('region', { name: `connector ${CONNECTOR}` });
  await card.waitFor({ timeout: 60_000 });
  await page.getByText('Source connector', { exact: true }).waitFor();
  const text = (await card.textContent()) ?? '';
  for (const expected of [
    'RUNNING',
    'task 0 RUNNING',
    'local',
    'PostgresConnector',
    TOPIC,
  ]) {
    assert.ok(
      text.replace(/\s+/g, ' ').includes(expected),
      `the card shows ${expected}: ${text}`,
    );
  }
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, 'cdc-source-connector');
  await page.close();
});

test('a pipeline no connector feeds has no Source connector card', async () => {
  const page = await openApp(
    browser,
    '/catalog/default/component/user-events/streaming',
  );
  const answered = page.waitForResponse(r =>
    r.url().endsWith('/api/streaming/pipelines/default/user-events/connectors'),
  );
  await page.reload();
  const answer = await answered;
  assert.equal(answer.status(), 200);
  assert.deepEqual((await answer.json()).connectors, []);
  await page.getByText('Schemas', { exact: true }).waitFor();
  assert.equal(
    await page.getByText('Source connector', { exact: true }).count(),
    0,
  );
  await page.close();
});
