// Pause, resume and restart are for a pipeline's owners: the guest user owns
// no example pipeline (User Events belongs to group:default/team-growth), so
// the app's permission policy refuses them, in the page and at the backend.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { backendUrl, guestToken } from '../lib/api.mts';
import { launch, openApp, screenshot } from '../lib/browser.mts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a non-owner sees no operate buttons, is refused with 403, and the refusal is in the history', async () => {
  const path = '/catalog/default/component/user-events/streaming';
  let page = await openApp(browser, path);
  const card = page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Operations', { exact: true }) });
  await card.waitFor();
  for (const name of ['Pause', 'Resume', 'Restart']) {
    assert.equal(await card.getByRole('button', { name }).count(), 0);
  }

  const token = await guestToken();
  const res = await fetch(
    `${backendUrl}/api/streaming/pipelines/default/user-events/pause`,
    { method: 'POST', headers: { Authorization: `Bearer ${token}` } },
  );
  assert.equal(res.status, 403);
  const body = (await res.json()) as { error: { message: string } };
  assert.match(body.error.message, /streaming\.pipeline\.operate/);

  await page.close();
  page = await openApp(browser, path);
  const history = page.getByRole('table', { name: 'Operations' });
  await history.waitFor();
  await history
    .getByRole('row')
    .filter({ hasText: 'user:development/guest' })
    .filter({ hasText: 'refused' })
    .first()
    .waitFor();
  await screenshot(page, 'operations-non-owner');
  await page.close();
});
