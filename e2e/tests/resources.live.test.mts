// Topic, Delta table and search index pages, reached through a pipeline's lineage.
// Live: the topic page lists the partitions of `events`, which the demo traffic
// creates, so these run once the runner has started traffic and the job.
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
  // Three documents of this run, searchable at once, so the count is never 0.
  const bulk = [1, 2, 3]
    .map(
      i =>
        `${JSON.stringify({ index: {} })}\n${JSON.stringify({
          service: 'e2e',
          level: 'ERROR',
          message: `e2e ${Date.now()}-${i}`,
        })}\n`,
    )
    .join('');
  const indexed = await fetch(`${url}/app-logs-errors/_bulk?refresh=true`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-ndjson' },
    body: bulk,
  });
  const answer = await indexed.text();
  assert.equal(indexed.status, 200, `bulk: ${answer}`);
  assert.equal(JSON.parse(answer).errors, false, `bulk: ${answer}`);
  const [stats] = (await (
    await fetch(`${url}/_cat/indices/app-logs-errors?format=json`)
  ).json()) as Array<{ health: string; 'docs.count': string }>;
  const documents = Number(stats['docs.count']);
  assert.ok(documents >= 3, `documents: ${documents}`);

  const page = await openApp(
    browser,
    '/catalog/default/component/log-analytics/streaming',
  );
  await followLineage(page, 'Log Analytics', 'Downstream', 'app-logs-errors');
  await page.waitForURL('**/catalog/default/resource/**');
  await page.getByText('Search index', { exact: true }).first().waitFor();
  // Its lineage, as on topic and table pages, not Backstage's one-hop Relations card.
  await page.getByText('Lineage', { exact: true }).waitFor();
  assert.equal(await page.getByText('Relations', { exact: true }).count(), 0);
  await page.locator('svg').getByText('Log Analytics').first().waitFor();
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
  // The card's document count is the index's (to the card's rounding: 5.7K).
  const shown = await page
    .getByText('Documents', { exact: true })
    .first()
    .locator('xpath=following-sibling::div[1]')
    .innerText();
  const match = /^([\d.,]+)\s*([KM]?)$/.exec(shown.trim());
  assert.ok(match, `Documents: ${shown}`);
  const value =
    Number(match[1].replace(/,/g, '')) *
    ({ '': 1, K: 1e3, M: 1e6 }[match[2]] ?? NaN);
  if (documents < 1000) assert.equal(value, documents);
  else assert.ok(Math.abs(value - documents) / documents < 0.05, shown);
  await screenshot(page, 'search-index-app-logs-errors');
  await page.close();
});
