import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launch, openApp, screenshot } from '../lib/browser.mts';

const REFERENCE_PIPELINES = [
  'CDC Postgres',
  'Clickstream',
  'Log Analytics',
  'Order Stream',
  'User Events',
];

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the Streaming nav item opens the overview with the five pipelines', async () => {
  const page = await openApp(browser, '/');
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Streaming', exact: true })
    .click();
  await page.waitForURL('**/streaming');

  const table = page.getByRole('table').filter({ hasText: 'Source → sink' });
  await table.getByRole('link', { name: 'User Events' }).waitFor();
  const titles = await table.locator('tbody tr td:first-child').allInnerTexts();
  // Pipelines created from templates (by people or other tests) may be listed too.
  const listed = new Set(titles.map(t => t.trim()));
  assert.deepEqual(
    REFERENCE_PIPELINES.filter(name => !listed.has(name)),
    [],
    `missing from ${[...listed].join(', ')}`,
  );

  for (const tile of [
    'Active pipelines',
    'Total throughput',
    'Avg processing delay',
    'Consumer lag',
    'Executors',
    'Delta tables',
    'Data in the last 24 h',
    'Monthly cost',
  ]) {
    const region = page.getByRole('region', { name: tile });
    await region.waitFor();
    const value = (await region.locator('p').first().innerText()).trim();
    assert.notEqual(value, '', `${tile} shows a value`);
  }
  await screenshot(page, 'overview');
  await page.close();
});

test('the Teams card groups the pipelines by owner and system, with budgets', async () => {
  const page = await openApp(browser, '/streaming');
  const card = page.getByRole('table', { name: 'Teams' });
  const growth = card.getByRole('row', { name: 'team-growth' });
  await growth.waitFor();
  const cells = await growth.getByRole('cell').allInnerTexts();
  // User Events and Clickstream (and any pipeline a test created for the
  // team); app-config.yaml gives the team $150 a month.
  const [, running, total] = cells[1].match(/^(\d+) of (\d+) running$/)!;
  assert.ok(Number(total) >= 2 && Number(running) <= Number(total));
  assert.match(cells[5], /^\$150\/mo/);
  for (const team of ['team-accounts', 'team-sre', 'team-commerce']) {
    await card.getByRole('row', { name: team }).waitFor();
  }
  // A team is warned exactly when its run rate is above its budget.
  const over = await page
    .getByRole('alert')
    .filter({ hasText: 'over its monthly budget' })
    .allInnerTexts();
  const overBudget = (cells[5].match(/Over budget/) ?? []).length;
  assert.equal(
    over.filter(t => t.startsWith('team-growth')).length,
    overBudget,
  );
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, 'overview-teams');
  await page.close();
});

test('a pipeline link leads to the pipeline page', async () => {
  const page = await openApp(browser, '/streaming');
  await page.getByRole('link', { name: 'Order Stream' }).click();
  await page.waitForURL('**/catalog/default/component/order-stream**');
  await page
    .locator('a[href$="/catalog/default/component/order-stream/streaming"]')
    .waitFor();
  await page.close();
});
