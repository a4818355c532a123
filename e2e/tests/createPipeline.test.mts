// The Create page: the Kafka to Delta template, filled in like a user would,
// ends on the new pipeline's page (local publish, real Kafka, real catalog).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launch, openApp, screenshot } from '../lib/browser.mts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('Kafka to Delta: fill the form, create, arrive at the pipeline page', async () => {
  const suffix = randomBytes(3).toString('hex');
  const name = `e2e-orders-${suffix}`;
  const page = await openApp(
    browser,
    '/create/templates/default/kafka-to-delta',
  );
  const next = () =>
    page.getByRole('button', { name: /^(Next|Review)$/ }).click();

  // Pipeline
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await page
    .getByRole('textbox', { name: /^Description/ })
    .fill('Orders per country, created from the browser test');
  const owner = page
    .getByRole('combobox', { name: /^Owner/ })
    .or(page.getByRole('textbox', { name: /^Owner/ }));
  await owner.first().fill('team-commerce');
  await page
    .getByRole('option', { name: /team-commerce/ })
    .first()
    .click();
  await screenshot(page, 'create-1-pipeline');
  await next();

  // Source: a new topic, typed into the topic picker
  const topic = page
    .getByRole('combobox', { name: /^Topic/ })
    .or(page.getByRole('textbox', { name: /^Topic/ }));
  await topic.first().fill(`e2e.orders.${suffix}`);
  await screenshot(page, 'create-2-source');
  await next();

  // Transformations: errors appear while typing, and go away when fixed
  const editor = page.getByLabel('transformations as YAML');
  const valid = await editor.inputValue();
  await editor.fill(
    "- type: filter\n  condition: \"__import__('os').system('id')\"\n",
  );
  await page
    .getByRole('alert')
    .filter({ hasText: 'transformations[0].condition' })
    .waitFor();
  await screenshot(page, 'create-3-transformations-error');
  await editor.fill(valid);
  await page
    .getByRole('alert')
    .filter({ hasText: 'transformations' })
    .waitFor({ state: 'detached' });
  await next();

  // Delta sink
  await page
    .getByRole('textbox', { name: /^Delta table location/ })
    .fill(`/data/delta/e2e_orders_${suffix}`);
  await next();

  // Resources and alerts: the live cost estimate
  await page.getByText(/^Cost estimate: \$[0-9.]+ per hour/).waitFor();
  await screenshot(page, 'create-5-resources');
  await next();

  // Publish and deploy: local repository, no Kubernetes cluster
  await next();
  await page.getByRole('button', { name: 'Create' }).click();

  const open = page.getByRole('link', {
    name: 'Open the pipeline in the catalog',
  });
  await open.waitFor({ timeout: 180_000 });
  await screenshot(page, 'create-6-task-done');
  await open.click();
  await page.waitForURL(`**/catalog/default/component/${name}**`);
  await page.getByRole('heading', { name }).first().waitFor();
  assert.match(await page.title(), new RegExp(name));
  await screenshot(page, 'create-7-pipeline-page');
  await page.close();
});
