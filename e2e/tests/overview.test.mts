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
    'Data per day',
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

test('a pipeline link leads to the pipeline page', async () => {
  const page = await openApp(browser, '/streaming');
  await page.getByRole('link', { name: 'Order Stream' }).click();
  await page.waitForURL('**/catalog/default/component/order-stream**');
  await page
    .locator('a[href$="/catalog/default/component/order-stream/streaming"]')
    .waitFor();
  await page.close();
});
