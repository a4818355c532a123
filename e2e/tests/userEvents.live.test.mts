// The User Events pipeline's Streaming tab with the real job running: the chart
// fills, and the lag rises while the job is paused and falls when it resumes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, screenshot, waitUntil } from '../lib/browser.mts';
import { LAYOUT_WIDTHS, layoutProblems } from '../lib/layout.mts';
import { followLineage } from '../lib/lineage.mts';

const TAB = '/catalog/default/component/user-events/streaming';
/** The User Events spec's source and dead-letter topics (examples/pipelines/user-events). */
const SOURCE_TOPIC = 'events';
const DEAD_LETTER_TOPIC = 'events.dead-letter';
const jobGroup = Number(process.env.E2E_JOB_PROCESS_GROUP);
const jobStartedAt = Number(process.env.E2E_JOB_STARTED_AT);
/** The five examples, whose Streaming tabs the layout test looks at. */
const EXAMPLES = [
  'user-events',
  'order-stream',
  'clickstream',
  'cdc-postgres-users',
  'log-analytics',
];
/** Resource pages reached from User Events' lineage: [screenshot, side, link]. */
const RESOURCES = [
  ['topic-events', 'Upstream', 'events'],
  ['delta-event-summary', 'Downstream', 'event_summary'],
] as const;

let browser: Browser;
let page: Page;
before(async () => {
  assert.ok(
    jobGroup > 0 && jobStartedAt > 0,
    'the runner starts the User Events job',
  );
  browser = await launch();
  page = await openApp(browser, '/catalog/default/component/user-events');
});
after(async () => {
  await browser?.close();
});

/** The number a card shows for people (`1.2K messages`), as a number. */
function parseHuman(text: string): number {
  const match = /(-?[\d.,]+)\s*([KMBT]?)/.exec(text);
  if (!match) return NaN;
  const scale = { '': 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[match[2]] ?? 1;
  return Number(match[1].replace(/,/g, '')) * scale;
}

/** A duration a card shows (`250 ms`, `3.4 s`, `2 min`), in seconds. */
function parseSeconds(text: string): number {
  const match = /([\d.]+)\s*(ms|s|min|h|d)\b/.exec(text);
  if (!match) return NaN;
  const unit = { ms: 0.001, s: 1, min: 60, h: 3600, d: 86400 }[match[2]] ?? NaN;
  return Number(match[1]) * unit;
}

async function fact(label: string): Promise<string> {
  return page
    .getByText(label, { exact: true })
    .first()
    .locator('xpath=following-sibling::div[1]')
    .innerText();
}

async function totalLag(): Promise<number> {
  return parseHuman(await fact('Total lag'));
}

test('the Streaming tab shows a micro-batch chart filled by the running job', async () => {
  await page.locator(`a[href$="${TAB}"]`).click();
  await page.waitForURL(`**${TAB}`);
  // Batches of this run only: the newest batch is younger than the job.
  await waitUntil(
    'a micro-batch of the job started by this run',
    async () => parseSeconds(await fact('Last micro-batch')),
    age => age < (Date.now() - jobStartedAt) / 1000,
    8 * 60_000,
    5_000,
  );
  const area = page.locator(
    '[data-testid="micro-batch-chart"] path.recharts-area-area',
  );
  const points = await waitUntil(
    'micro-batches on the chart',
    async () => {
      if ((await area.count()) === 0) return 0;
      const d = (await area.first().getAttribute('d')) ?? '';
      return (d.match(/[LC]/g) ?? []).length;
    },
    n => n >= 3,
    3 * 60_000,
    5_000,
  );
  assert.ok(points >= 3, 'the input area has several points');
  assert.ok(parseHuman(await fact('Input')) > 0, 'input rows per second');
  assert.match(await fact('Last micro-batch'), /ago/);
  await screenshot(page, 'user-events-streaming');
});

test('lag rises while the job is paused and falls when it resumes', async () => {
  const running = await waitUntil(
    'a lag figure',
    totalLag,
    n => n >= 0,
    120_000,
  );
  process.kill(-jobGroup, 'SIGSTOP');
  let peak: number;
  try {
    peak = await waitUntil(
      'the lag to rise while the job is paused',
      totalLag,
      n => n >= running + 1_000,
      4 * 60_000,
    );
    await screenshot(page, 'user-events-lag-paused');
  } finally {
    process.kill(-jobGroup, 'SIGCONT');
  }
  const after = await waitUntil(
    'the lag to fall after the job resumed',
    totalLag,
    n => n <= peak / 2,
    6 * 60_000,
  );
  assert.ok(after < peak);
  await screenshot(page, 'user-events-lag-resumed');
});

/** "Dead-lettered (last batch / range)" of the Micro-batches card, as two numbers. */
async function deadLettered(): Promise<{ last: number; range: number }> {
  const label = page.getByText('Dead-lettered (last batch / range)', {
    exact: true,
  });
  // The card shows its facts once the job's first micro-batch is in.
  if ((await label.count()) === 0) return { last: NaN, range: NaN };
  const [last, range] = (await fact('Dead-lettered (last batch / range)'))
    .split('/')
    .map(parseHuman);
  return { last, range };
}

/**
 * Each partition's end offset of a topic; none while the topic does not exist
 * (the broker creates the dead-letter topic at the job's first bad record).
 */
async function endOffsets(kafka: Kafka, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      return new Map<number, bigint>();
    }
    return new Map(
      (await admin.fetchTopicOffsets(topic)).map(p => [
        p.partition,
        BigInt(p.high),
      ]),
    );
  } finally {
    await admin.disconnect();
  }
}

test('junk sent to the source is counted once on the page and lands in the dead-letter topic', async () => {
  const kafka = new Kafka({
    brokers: ['127.0.0.1:9092'],
    clientId: 'e2e-dead-letter',
    logLevel: logLevel.NOTHING,
  });
  await page.goto(TAB);
  // The demo traffic is all good records: nothing is dead-lettered before the junk.
  const before = await waitUntil(
    'the dead-letter figures of the running job',
    deadLettered,
    v => Number.isFinite(v.range),
    8 * 60_000,
    5_000,
  );
  assert.equal(before.range, 0, 'no demo record is dead-lettered');
  const offsets = await endOffsets(kafka, DEAD_LETTER_TOPIC);

  const junk = [1, 2, 3].map(i => `e2e junk ${jobStartedAt}-${i}: not JSON`);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: SOURCE_TOPIC,
    messages: junk.map(value => ({ value })),
  });
  await producer.disconnect();

  // The page counts each junk record once: the range total reaches 3 and stays there
  // while the good traffic goes on.
  await waitUntil(
    'the three junk records on the Micro-batches card',
    deadLettered,
    v => v.range >= junk.length,
    4 * 60_000,
    5_000,
  );
  await screenshot(page, 'user-events-dead-lettered');
  for (let i = 0; i < 6; i++) {
    await page.waitForTimeout(5_000);
    assert.equal((await deadLettered()).range, junk.length);
  }

  // The dead-letter topic holds exactly those records, with where they came from
  // (its query runs beside the pipeline's: wait for it to have written).
  const written = (ends: Map<number, bigint>) =>
    [...ends].reduce(
      (sum, [partition, high]) => sum + (high - (offsets.get(partition) ?? 0n)),
      0n,
    );
  const after = await waitUntil(
    'the junk in the dead-letter topic',
    () => endOffsets(kafka, DEAD_LETTER_TOPIC),
    ends => written(ends) >= BigInt(junk.length),
    2 * 60_000,
    5_000,
  );
  assert.equal(written(after), BigInt(junk.length));
  const groupId = `e2e-dead-letter-${Date.now()}`;
  const consumer = kafka.consumer({ groupId });
  const found: { value: string; error: string; topic: string }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: DEAD_LETTER_TOPIC, fromBeginning: true });
    const done = new Promise<void>(resolve => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          if (BigInt(message.offset) < (offsets.get(partition) ?? 0n)) return;
          const header = (name: string) =>
            String(message.headers?.[name] ?? '');
          found.push({
            value: String(message.value),
            error: header('dead-letter.error'),
            topic: header('dead-letter.topic'),
          });
          if (found.length === junk.length) resolve();
        },
      });
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const [partition, offset] of offsets) {
        consumer.seek({
          topic: DEAD_LETTER_TOPIC,
          partition,
          offset: String(offset),
        });
      }
    });
    await Promise.race([
      done,
      new Promise((_, reject) =>
        setTimeout(
          () =>
            reject(new Error(`dead-letter records: ${JSON.stringify(found)}`)),
          60_000,
        ),
      ),
    ]);
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  assert.deepEqual(found.map(f => f.value).sort(), [...junk].sort());
  for (const record of found) {
    assert.equal(record.topic, SOURCE_TOPIC);
    assert.match(record.error, /JSON/);
  }

  // The card links the dead-letter topic's catalog page.
  await page
    .getByText('Dead-letter target', { exact: true })
    .first()
    .locator('xpath=following-sibling::div[1]')
    .getByRole('link')
    .click();
  await page.waitForURL('**/catalog/default/resource/**');
  await page.getByText(DEAD_LETTER_TOPIC).first().waitFor();
  // Its page's end offsets are the broker's: the records before the junk and the junk.
  const partitions = page.getByRole('table').filter({ hasText: 'End offset' });
  await partitions.waitFor();
  const headers = await partitions.locator('thead th').allInnerTexts();
  const endColumn = headers.findIndex(
    h => h.trim().toLowerCase() === 'end offset',
  );
  assert.ok(endColumn >= 0, `columns: ${headers.join(', ')}`);
  const shown = (
    await partitions
      .locator(`tbody tr td:nth-child(${endColumn + 1})`)
      .allInnerTexts()
  ).reduce((sum, text) => sum + BigInt(text.replace(/[^\d]/g, '')), 0n);
  const broker = [...after.values()].reduce((sum, high) => sum + high, 0n);
  assert.equal(shown, broker);
  await screenshot(page, 'user-events-dead-letter-topic');
  await page.goto(TAB);
});

test('the overview counts the running pipeline as active', async () => {
  const overview = await openApp(browser, '/streaming');
  const row = overview
    .getByRole('row')
    .filter({ has: overview.getByRole('link', { name: 'User Events' }) });
  await waitUntil(
    'User Events with throughput on the overview',
    async () => (await row.innerText()).replace(/\s+/g, ' '),
    text => /\d[\d.]*K? msg\/s/.test(text) && !/Unknown/.test(text),
    3 * 60_000,
    5_000,
  );
  const active = await overview
    .getByLabel('Active pipelines')
    .locator('p')
    .first()
    .innerText();
  assert.ok(Number(active) >= 1, `active pipelines: ${active}`);
  await screenshot(overview, 'overview-live');
  await overview.close();
});

test('at 1280 and 1920 px no word is broken inside and no cell is cut off', async () => {
  const view = await openApp(browser, '/streaming');
  const problems: string[] = [];
  // The cards have answered (their data or their empty state): no loading
  // bar left, or 20 s passed (a card may be refreshing on its interval). A
  // bar with a value (the Cost card's driver share) is content, not loading.
  const cardsLoaded = async () => {
    const bars = view.locator('main [role="progressbar"]:not([aria-valuenow])');
    const deadline = Date.now() + 20_000;
    while ((await bars.count()) > 0 && Date.now() < deadline) {
      await view.waitForTimeout(250);
    }
    await view.waitForTimeout(1_000);
  };
  // Each page is loaded once, at 1280 px, and checked at each width in turn:
  // resized, it lays itself out again (tables, charts) without new data.
  const check = async (name: string) => {
    for (const width of LAYOUT_WIDTHS) {
      await view.setViewportSize({ width, height: 1100 });
      await view.waitForTimeout(1_000);
      // Cards and tables of the page, not the sidebar (Backstage's own).
      const found = await layoutProblems(view.locator('main'));
      problems.push(...found.map(p => `${name} at ${width} px: ${p}`));
      await screenshot(view, `${name}-${width}`);
    }
    await view.setViewportSize({ width: LAYOUT_WIDTHS[0], height: 1100 });
  };
  await view.setViewportSize({ width: LAYOUT_WIDTHS[0], height: 1100 });
  await view.goto('/streaming');
  await view.getByRole('table', { name: 'Teams' }).waitFor();
  await view
    .getByRole('table')
    .filter({ hasText: 'Source → sink' })
    .getByRole('link', { name: 'User Events' })
    .waitFor();
  await check('overview');
  for (const pipeline of EXAMPLES) {
    await view.goto(`/catalog/default/component/${pipeline}/streaming`);
    await view.getByText('State and watermark').first().waitFor();
    await view.getByText('Cost', { exact: true }).first().waitFor();
    await view.getByText('Lineage', { exact: true }).first().waitFor();
    await cardsLoaded();
    await check(`${pipeline}-streaming`);
  }
  for (const [name, lineage, link] of RESOURCES) {
    await view.goto('/catalog/default/component/user-events/streaming');
    await followLineage(view, 'User Events', lineage, link);
    await view.waitForURL('**/catalog/default/resource/**');
    await cardsLoaded();
    await check(name);
  }
  assert.deepEqual(problems, []);
  await view.close();
});
