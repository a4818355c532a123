import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, screenshot } from '../lib/browser.mts';

// The first visit of a site builds it with mkdocs in the backend.
const BUILD_TIMEOUT_MS = 180_000;

const RUNBOOK_SECTIONS = {
  lag: 'Consumer lag alert',
  failed: 'Application failed',
  stale: 'No micro-batches (stale)',
  restart: 'Restart',
  'checkpoint-recovery': 'Checkpoint recovery',
  reprocessing: 'Reprocessing from an offset',
  'schema-evolution': 'Schema evolution',
  'data-loss': 'Data lost to retention',
};

/**
 * Signs in on the home page, then opens a page of the docs: the docs pages
 * render no sidebar while TechDocs loads, which openApp waits for.
 */
async function openDocs(path: string): Promise<Page> {
  const page = await openApp(browser, '/');
  await page.goto(path);
  return page;
}

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a pipeline's runbook opens inside the app at the section of its alert", async () => {
  const page = await openDocs(
    '/docs/default/component/user-events/runbook/#lag',
  );
  const lag = page.locator('h2#lag');
  await lag.waitFor({ timeout: BUILD_TIMEOUT_MS });
  assert.match(await lag.innerText(), /Consumer lag alert/);

  for (const [id, title] of Object.entries(RUNBOOK_SECTIONS)) {
    const heading = page.locator(`h2#${id}`);
    assert.equal(await heading.count(), 1, `section #${id}`);
    assert.match(await heading.innerText(), new RegExp(title.slice(0, 12)));
  }
  // This pipeline's own facts, not a generic text.
  const article = page.locator('article.md-content__inner');
  const text = await article.innerText();
  assert.match(text, /exceeds 60 seconds or 10,000 messages/);
  assert.match(text, /--topic events --time -2/);

  await lag.scrollIntoViewIfNeeded();
  await screenshot(page, 'techdocs-user-events-runbook');
  await page.close();
});

test("the pipeline's Docs tab shows its overview, with a link to the runbook", async () => {
  const page = await openApp(
    browser,
    '/catalog/default/component/user-events/docs',
  );
  const overview = page.locator('article.md-content__inner h1');
  await overview.waitFor({ timeout: BUILD_TIMEOUT_MS });
  const text = await page.locator('article.md-content__inner').innerText();
  assert.match(text, /Kafka topic events/);
  assert.match(text, /Alert thresholds/);
  await page
    .locator('article.md-content__inner a[href*="runbook"]')
    .first()
    .click();
  await page.locator('h2#lag').waitFor({ timeout: BUILD_TIMEOUT_MS });
  await screenshot(page, 'techdocs-user-events-overview-to-runbook');
  await page.close();
});

test('the runbooks of all five reference pipelines render in the app', async () => {
  const page = await openDocs('/docs/default/component/order-stream/runbook/');
  for (const name of [
    'order-stream',
    'clickstream',
    'cdc-postgres-users',
    'log-analytics',
    'user-events',
  ]) {
    await page.goto(`/docs/default/component/${name}/runbook/`);
    const dataLoss = page.locator('h2#data-loss');
    await dataLoss.waitFor({ timeout: BUILD_TIMEOUT_MS });
    const text = await page.locator('article.md-content__inner').innerText();
    assert.match(text, new RegExp(`sparkapplication ${name}`), name);
  }
  await page.close();
});

test("the platform's own docs render, with the architecture diagram", async () => {
  const page = await openDocs(
    '/docs/default/component/streaming-platform/architecture/',
  );
  // The page's Mermaid source, drawn as an SVG by the TechDocs Mermaid add-on.
  const diagram = page.locator('article.md-content__inner .mermaid svg');
  await diagram.waitFor({ timeout: BUILD_TIMEOUT_MS });
  await diagram.scrollIntoViewIfNeeded();
  const box = await diagram.boundingBox();
  assert.ok(box && box.width > 200 && box.height > 200, 'the diagram is drawn');
  const labels = await diagram.textContent();
  for (const node of ['streaming-backend', 'streaming-codegen', 'Kafka']) {
    assert.ok(labels?.includes(node), `the diagram shows ${node}`);
  }
  await screenshot(page, 'techdocs-platform-architecture');
  await page.close();
});
