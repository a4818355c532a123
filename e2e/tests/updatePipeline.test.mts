// Change and upgrade: a pipeline published to a local repository shows no
// drift on its page; after its pipeline.yaml changes, the Generated files card
// names the files that differ and links the Update pipeline template, which
// commits the files rendered again to a branch; merged, the card is up to date.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { backendUrl, guestToken } from '../lib/api.mts';
import { launch, openApp, screenshot } from '../lib/browser.mts';
import {
  registerRepository,
  tokenOwner,
  writePipelineRepository,
} from '../lib/pipelineRepository.mts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const git = (dir: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', ...args],
    { cwd: dir, encoding: 'utf8' },
  );

async function api(path: string, token: string, body?: unknown) {
  const res = await fetch(`${backendUrl}/api/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** The Generated files card of the pipeline's Streaming tab, once loaded. */
async function generatedFilesCard(page: Page) {
  const card = page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Generated files', { exact: true }) });
  await card.waitFor();
  return card;
}

test('an update with drift before and none after', async () => {
  const name = `e2e-update-${randomBytes(3).toString('hex')}`;
  const entityRef = `component:default/${name}`;
  const token = await guestToken();

  // The repository as the Create templates publish one, owned by the guest.
  const { repo, specFile } = writePipelineRepository(name, tokenOwner(token), [
    '  monitoring:',
    '    alert_on_lag: 60',
  ]);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'Initial commit');
  await registerRepository(repo, token);

  const path = `/catalog/default/component/${name}/streaming`;
  let page = await openApp(browser, path);
  let card = await generatedFilesCard(page);
  await card.getByText(/^Up to date with generator \d+\.\d+\.\d+/).waitFor();
  await screenshot(page, 'update-1-up-to-date');

  // A change of pipeline.yaml alone: the generated files now differ.
  writeFileSync(
    specFile,
    readFileSync(specFile, 'utf8').replace(
      'alert_on_lag: 60',
      'alert_on_lag: 120',
    ),
  );
  git(repo, 'commit', '-q', '-am', 'Alert on 2 minutes of lag');
  const refreshed = await api('catalog/refresh', token, { entityRef });
  assert.equal(refreshed.status, 200, refreshed.text);
  const drifted = async () => {
    for (let i = 0; i < 24; i++) {
      await page.close();
      page = await openApp(browser, path);
      card = await generatedFilesCard(page);
      const list = card.getByRole('list', { name: 'Drifted files' });
      if (await list.isVisible().catch(() => false)) return list;
      await new Promise(r => setTimeout(r, 5_000));
    }
    throw new Error('the card never showed drifted files');
  };
  const list = await drifted();
  const items = await list.getByRole('listitem').allTextContents();
  assert.ok(
    items.some(
      i => i.startsWith('deploy/prometheus-rule.yaml') && i.includes('changed'),
    ),
    items.join('\n'),
  );
  assert.ok(!items.some(i => i.startsWith('pipeline.yaml')), items.join('\n'));
  await screenshot(page, 'update-2-drift');

  // The card's link opens the template with the pipeline chosen.
  await card
    .getByRole('link', {
      name: 'Render them again with the Update pipeline template',
    })
    .click();
  await page.waitForURL('**/create/templates/default/update-pipeline**');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).waitFor();
  await screenshot(page, 'update-3-review');
  await page.getByRole('button', { name: 'Create' }).click();
  await page
    .getByText(/Update of component:default\/e2e-update-/)
    .first()
    .waitFor({ timeout: 180_000 });
  await screenshot(page, 'update-4-done');
  assert.match(
    git(repo, 'branch', '--list', 'update-pipeline'),
    /update-pipeline/,
  );
  const changed = git(repo, 'diff', '--name-only', 'main', 'update-pipeline');
  assert.match(changed, /^deploy\/prometheus-rule\.yaml$/m);

  // Merged, the repository is what the generator renders: no drift.
  git(repo, 'merge', '-q', '--ff-only', 'update-pipeline');
  for (let i = 0; ; i++) {
    await page.close();
    page = await openApp(browser, path);
    card = await generatedFilesCard(page);
    if (
      await card
        .getByText(/^Up to date with generator/)
        .isVisible()
        .catch(() => false)
    ) {
      break;
    }
    // The answer of the drifted repository is reused for drift.cacheTtl (1 minute).
    assert.ok(i < 24, 'the card never showed the repository up to date');
    await new Promise(r => setTimeout(r, 5_000));
  }
  await screenshot(page, 'update-5-up-to-date-again');
  await page.close();
});
