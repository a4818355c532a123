// The CDC Postgres pipeline's lineage reaches the database table through the
// Kafka Connect connector that captures it: the connector `make start` creates
// (scripts/demo-cdc.sh) on the real Connect worker, read by the catalog's
// Kafka Connect provider.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, screenshot, waitUntil } from '../lib/browser.mts';
import { followLineage } from '../lib/lineage.mts';

const root = resolve(import.meta.dirname, '../..');
const CONNECTOR = 'cdc-postgres-users';
const TABLE = 'accounts.public.users';
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

/** Whether the lineage graph draws a node titled `title` within a few seconds. */
async function drawn(page: Page, title: string): Promise<boolean> {
  return page
    .locator('svg g text')
    .getByText(title, { exact: true })
    .first()
    .waitFor({ timeout: 10_000 })
    .then(
      () => true,
      () => false,
    );
}

test("the CDC pipeline's lineage leads through its connector to the database table", async () => {
  const page = await openApp(
    browser,
    '/catalog/default/component/cdc-postgres-users/streaming',
  );
  // The provider reads Connect every minute (app-config): the connector
  // appears in the graph at the latest one run after the demo created it.
  await waitUntil(
    `connector ${CONNECTOR} in the lineage of CDC Postgres`,
    async () => {
      const found = await drawn(page, CONNECTOR);
      if (!found) await page.reload();
      return found;
    },
    found => found,
    240_000,
    1_000,
  );
  assert.ok(await drawn(page, TABLE), `${TABLE} is in the pipeline's lineage`);
  await screenshot(page, 'cdc-lineage-pipeline');

  await followLineage(page, 'CDC Postgres', 'Upstream', CONNECTOR);
  await page.waitForURL(
    `**/catalog/default/resource/connector.local.${CONNECTOR}`,
  );
  // The connector's page: its lineage (the table upstream, its topic
  // downstream), not Backstage's one-hop Relations card.
  await page.getByText('Lineage', { exact: true }).waitFor();
  assert.equal(await page.getByText('Relations', { exact: true }).count(), 0);
  assert.ok(await drawn(page, TOPIC), `${TOPIC} is in the connector's lineage`);
  await screenshot(page, 'cdc-connector');

  await followLineage(page, CONNECTOR, 'Upstream', TABLE);
  await page.waitForURL(`**/catalog/default/resource/db.${TABLE}`);
  await page.getByText('Lineage', { exact: true }).waitFor();
  await screenshot(page, 'cdc-database-table');
  await page.close();
});
