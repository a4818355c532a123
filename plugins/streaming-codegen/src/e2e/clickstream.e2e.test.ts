import { resolve } from 'node:path';
import type { DeltaRow } from './__testUtils__/DeltaReader';
import { repoRoot } from './__testUtils__/repoRoot';
import { setUpPipelineTest } from './__testUtils__/setUpPipelineTest';

// The Clickstream example (examples/pipelines/clickstream): clicks of real pages that no
// bot referred, 2-minute watermark, 10-minute windows sliding every minute per page,
// appended to Delta once a window closes.
jest.setTimeout(20 * 60_000);

const specFile = resolve(
  repoRoot,
  'examples/pipelines/clickstream/pipeline.yaml',
);
const MINUTE = 60_000;
const base = Date.parse('2026-01-05T10:00:00Z');

type Click = {
  session_id: string;
  user_id: string;
  page: string | null;
  referrer: string;
  ts: string;
};

const click = (
  session: string,
  page: string | null,
  minute: number,
  referrer = 'https://search.example.com/',
): Click => ({
  session_id: session,
  user_id: `u-${session}`,
  page,
  referrer,
  ts: new Date(base + minute * MINUTE).toISOString(),
});

const firstClicks: Click[] = [
  click('s1', '/home', 0.5),
  click('s1', '/pricing', 1.2),
  click('s2', '/home', 2.9),
  click('s3', '/home', 3.0),
  click('s3', null, 3.5),
  click('s4', '/home', 4.1, 'https://crawler.example.com/googlebot'),
  click('s2', '/pricing', 7.7),
  click('s5', '/docs', 9.99),
  click('s1', '/home', 11.0),
  // Moves the watermark to 10:18: every window ending by then closes.
  click('s6', '/docs', 20.0),
];
// Produced while the job is stopped: the windows still open continue from the state in
// the checkpoint.
const laterClicks: Click[] = [
  click('s6', '/docs', 21.5),
  click('s7', '/home', 19.0),
  click('s7', '/pricing', 24.0, 'https://bot.example.net/'),
  click('s8', '/pricing', 26.2),
  click('s8', '/home', 40.0),
];

/** The windows of 10 minutes every minute that contain `t`, by start. */
function windowsOf(t: number): number[] {
  const last = Math.floor(t / MINUTE) * MINUTE;
  return Array.from({ length: 10 }, (_, i) => last - i * MINUTE);
}

/** What the pipeline must have written: closed windows only (end <= watermark). */
function expectedRows(clicks: Click[]) {
  const watermark = Math.max(...clicks.map(c => Date.parse(c.ts))) - 2 * MINUTE;
  const kept = clicks.filter(
    c => c.page !== null && !c.referrer.includes('bot'),
  );
  const groups = new Map<string, Click[]>();
  for (const c of kept) {
    for (const start of windowsOf(Date.parse(c.ts))) {
      const key = JSON.stringify([start, c.page]);
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
  }
  return [...groups.entries()]
    .map(([key, members]) => {
      const [start, page] = JSON.parse(key) as [number, string];
      return {
        window_start: new Date(start).toISOString(),
        window_end: new Date(start + 10 * MINUTE).toISOString(),
        page,
        clicks: members.length,
        sessions: new Set(members.map(m => m.session_id)).size,
      };
    })
    .filter(row => Date.parse(row.window_end) <= watermark)
    .sort(byWindowPage);
}

function byWindowPage(a: Record<string, unknown>, b: Record<string, unknown>) {
  return JSON.stringify([a.window_start, a.page]).localeCompare(
    JSON.stringify([b.window_start, b.page]),
  );
}

const normalise = (rows: DeltaRow[]) =>
  rows
    .map(
      (row): DeltaRow => ({
        ...row,
        window_start: new Date(String(row.window_start)).toISOString(),
        window_end: new Date(String(row.window_end)).toISOString(),
      }),
    )
    .sort(byWindowPage);

describe('Clickstream pipeline, generated and run on Kafka and Spark', () => {
  const run = setUpPipelineTest(specFile, 2);

  const produce = (clicks: Click[]) =>
    run.kafka.produceRecords(
      run.pipeline.sourceTopic,
      clicks.map(c => ({ key: c.session_id, value: JSON.stringify(c) })),
    );
  // The spec starts at the latest offsets; the test's clicks are already in the topic.
  const start = () =>
    run.pipeline.start({ PIPELINE_STARTING_OFFSETS: 'earliest' });
  // The windows are written by the batch after the one that moved the watermark.
  const closed =
    (clicks: Click[]) =>
    (last: { eventTime?: { watermark?: string }; numInputRows: number }) =>
      last.numInputRows === 0 &&
      last.eventTime?.watermark !== undefined &&
      Date.parse(last.eventTime.watermark) ===
        Math.max(...clicks.map(c => Date.parse(c.ts))) - 2 * MINUTE;

  it('writes each closed sliding window once, and continues open windows after a restart', async () => {
    await produce(firstClicks);
    start();
    await run.pipeline.waitProcessed(closed(firstClicks));
    const first = normalise(await run.reader.read(run.pipeline.sinkPath));
    expect(first).toEqual(expectedRows(firstClicks));
    // A click belongs to ten windows: /home at 10:02:54 is in 09:53 to 10:02.
    expect(first.filter(r => r.page === '/home').length).toBeGreaterThan(10);

    await run.pipeline.stop();
    await produce(laterClicks);
    start();
    const progress = await run.pipeline.waitProcessed(
      closed([...firstClicks, ...laterClicks]),
    );
    expect(normalise(await run.reader.read(run.pipeline.sinkPath))).toEqual(
      expectedRows([...firstClicks, ...laterClicks]),
    );
    expect(progress.runIds).toHaveLength(2);
    expect(progress.inputRows).toBe(firstClicks.length + laterClicks.length);
    run.passed = true;
  });
});
