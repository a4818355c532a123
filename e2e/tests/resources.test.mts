// Topic, Delta table and search index pages, reached through a pipeline's lineage.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launch, openApp, screenshot } from '../lib/browser.mts';
import { followLineage } from '../lib/lineage.mts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the lineage leads to the topic page with its partitions and readers', async () => {
  const page = await openApp(
    browser,
    '/catalog/default/component/user-events/streaming',
  );
  await followLineage(page, 'User Events', 'Upstream', 'events');
  await page.waitForURL('**/catalog/default/resource/**');

  const partitions = page.getByRole('table').filter({ hasText: 'End offset' });
  await partitions.waitFor();
  assert.ok((await partitions.locator('tbody tr').count()) >= 1);
  await page.getByText('Read by', { exact: true }).waitFor();
  // One graph on the page: the lineage, not also Backstage's Relations card.
  await page.getByText('Lineage', { exact: true }).waitFor();
  assert.equal(await page.getByText('Relations', { exact: true }).count(), 0);
  await page
    .getByRole('link', { name: /user-events|User Events/ })
    .first()
    .waitFor();
  await screenshot(page, 'topic-events');
  await page.close();
});

test('the lineage leads to the Delta table page with its writer', async () => {
  const page = await openApp(
    browser,
    '/catalog/default/component/user-events/streaming',
  );
  await followLineage(page, 'User Events', 'Downstream', 'event_summary');
  await page.waitForURL('**/catalog/default/resource/**');
  await page.getByText('Delta table', { exact: true }).first().waitFor();
  await page.getByText('Written by', { exact: true }).waitFor();
  await page.getByText('Last write', { exact: true }).waitFor();
  await screenshot(page, 'delta-event-summary');
  await page.close();
});

test('the lineage leads to the search index page with its document count and size from OpenSearch', async () => {
  // The Log Analytics example writes app-logs-errors on the local OpenSearch,
  // the search cluster `local` of app-config.yaml.
  const script = resolve(import.meta.dirname, '../../scripts/opensearch.sh');
  execFileSync(script, ['start'], { stdio: 'ignore' });
  const url = execFileSync(script, ['url'], { encoding: 'utf8' }).trim();
  const created = await fetch(`${url}/app-logs-errors`, { method: 'PUT' });
  // 400: the index exists already (make start's demo, an earlier run).
  assert.ok(
    [200, 400].includes(created.status),
    `PUT index: ${created.status}`,
  );
  const [stats] = (await (
    await fetch(`${url}/_cat/indices/app-logs-errors?format=json`)
  ).json()) as Array<{ health: string }>;

  const page = await openApp(
    browser,
    '/catalog/default/component/log-analytics/streaming',
  );
  await followLineage(page, 'Log Analytics', 'Downstream', 'app-logs-errors');
  await page.waitForURL('**/catalog/default/resource/**');
  await page.getByText('Search index', { exact: true }).first().waitFor();
  for (const label of ['Documents', 'Size', 'Shards', 'Health', 'Cluster']) {
    await page.getByText(label, { exact: true }).first().waitFor();
  }
  await page
    .getByText(new RegExp(`^${stats.health}`))
    .first()
    .waitFor();
  await page
    .getByText(/^\d+(\.\d+)? (B|KB|MB|GB|TB)$/)
    .first()
    .waitFor();
  await screenshot(page, 'search-index-app-logs-errors');
  await page.close();
});
