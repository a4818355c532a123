// One Chromium for the browser tests: Debian's package, driven by playwright-core.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const baseUrl = process.env.E2E_BASE_URL ?? 'http://localhost:3000';
export const screenshotDir = resolve(
  import.meta.dirname,
  '../../.cache/screenshots',
);

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: FLAGS,
  });
}

/** A page of the app, signed in as the guest user. */
export async function openApp(browser: Browser, path: string): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 1100 },
    baseURL: baseUrl,
  });
  page.setDefaultTimeout(120_000);
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  const signedIn = page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Streaming', exact: true });
  await enter.or(signedIn).first().waitFor();
  if (await enter.isVisible()) {
    await enter.click();
    await signedIn.waitFor();
    if (new URL(page.url()).pathname !== path.split('?')[0]) {
      await page.goto(path);
    }
  }
  return page;
}

/** Saves a full-page screenshot as `.cache/screenshots/NAME.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = resolve(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Polls `probe` until it returns a value that `done` accepts. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 2_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${
          timeoutMs / 1000
        } s waiting for ${what}; last value: ${JSON.stringify(last)}`,
      );
    }
    await new Promise(r => setTimeout(r, intervalMs));
    last = await probe();
  }
  return last;
}
