// A soak of the running whole: with traffic and the User Events job started by
// the runner, once the job has caught up, its lag and status are sampled every
// 2 s for a minute (the figures are printed). A healthy job never shows a
// partition issue (topic recreated, offsets lost, ...) and stays `ok`; a
// pipeline without a micro-batch has unknown (null) lag, never 0; the
// overview's monthly cost is the sum over the running pipelines.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type {
  PipelineLagResponse,
  PipelineStatusResponse,
  StreamingOverviewResponse,
} from '@internal/plugin-streaming-common';
import { apiGet, guestToken } from '../lib/api.mts';
import { waitUntil } from '../lib/browser.mts';

const PIPELINE = 'pipelines/default/user-events';
const SAMPLE_SECONDS = Number(process.env.E2E_SOAK_SECONDS ?? 60);
const jobStartedAt = Number(process.env.E2E_JOB_STARTED_AT);
/** Lag in seconds at most this small, three answers in a row, is caught up. */
const CAUGHT_UP_SECONDS = 10;

let token: string;
before(async () => {
  assert.ok(jobStartedAt > 0, 'the runner starts the User Events job');
  token = await guestToken();
  // A fresh backend reads the example catalog first.
  await waitUntil(
    'the five example pipelines in the overview',
    async () =>
      (
        await apiGet<StreamingOverviewResponse>('overview', token)
      ).pipelines.length,
    n => n >= 5,
    5 * 60_000,
    5_000,
  );
});

const lag = () => apiGet<PipelineLagResponse>(`${PIPELINE}/lag`, token);
const status = () =>
  apiGet<PipelineStatusResponse>(`${PIPELINE}/status`, token);

/** What is wrong with one answer of a healthy, caught-up job. */
function bogus(l: PipelineLagResponse, s: PipelineStatusResponse): string[] {
  const problems = l.partitions
    .filter(p => p.issue)
    .map(p => `partition ${p.partition}: ${p.issue}`);
  if (l.totalMessages === null) problems.push('lag unknown');
  if (s.health !== 'ok') {
    problems.push(`health ${s.health}: ${s.reasons.join('; ')}`);
  }
  return problems;
}

test('a caught-up job keeps ok health and sane lag for a whole soak', async () => {
  // Caught up: micro-batches of this run, and three answers in a row with
  // nothing wrong and at most CAUGHT_UP_SECONDS of lag.
  let streak = 0;
  await waitUntil(
    'the User Events job of this run to catch up',
    async () => {
      const [l, s] = await Promise.all([lag(), status()]);
      const fresh =
        s.lastBatchAt !== undefined && Date.parse(s.lastBatchAt) > jobStartedAt;
      const problems = fresh ? bogus(l, s) : ['no micro-batch of this run yet'];
      if ((l.maxLagSeconds ?? Infinity) > CAUGHT_UP_SECONDS) {
        problems.push(`lag ${l.maxLagSeconds} s`);
      }
      streak = problems.length === 0 ? streak + 1 : 0;
      return streak;
    },
    n => n >= 3,
    8 * 60_000,
    2_000,
  );
  const samples: Array<{ at: number; problems: string[]; lag: number | null }> =
    [];
  const end = Date.now() + SAMPLE_SECONDS * 1000;
  while (Date.now() < end) {
    const [l, s] = await Promise.all([lag(), status()]);
    samples.push({
      at: Date.now(),
      problems: bogus(l, s),
      lag: l.totalMessages,
    });
    await new Promise(r => setTimeout(r, 2_000));
  }
  const bad = samples.filter(s => s.problems.length > 0);
  const lags = samples.map(s => s.lag ?? NaN);
  const issues = bad.filter(s =>
    s.problems.some(p => p.startsWith('partition')),
  );
  console.log(
    `soak: ${samples.length} samples over ${Math.round(
      (samples[samples.length - 1].at - samples[0].at) / 1000,
    )} s, ${bad.length} with a problem (${
      issues.length
    } with a partition issue); lag min ${Math.min(...lags)} max ${Math.max(
      ...lags,
    )} messages`,
  );
  assert.ok(samples.length >= SAMPLE_SECONDS / 3, 'samples taken');
  assert.deepEqual(
    bad.map(s => s.problems),
    [],
    'answers with a bogus issue',
  );
});

test('a pipeline without a micro-batch has unknown lag, never 0', async () => {
  const overview = await apiGet<StreamingOverviewResponse>('overview', token);
  const never = overview.pipelines.filter(row => !row.lastBatchAt);
  console.log(
    `soak: pipelines without a micro-batch: ${
      never.map(row => row.entityRef).join(', ') || 'none'
    }`,
  );
  assert.ok(never.length > 0, 'the catalog has a pipeline that never ran');
  for (const row of never) {
    assert.equal(row.lagMessages, null, `${row.entityRef}: overview lag`);
    const [, namespace, name] = /^[^:]+:([^/]+)\/(.+)$/.exec(row.entityRef)!;
    const l = await apiGet<PipelineLagResponse>(
      `pipelines/${namespace}/${name}/lag`,
      token,
    );
    assert.equal(l.totalMessages, null, `${row.entityRef}: lag route`);
  }
});

test('the monthly cost total is the sum over the running pipelines', async () => {
  const overview = await apiGet<StreamingOverviewResponse>('overview', token);
  const running = await Promise.all(
    overview.pipelines.map(async row => {
      const [, namespace, name] = /^[^:]+:([^/]+)\/(.+)$/.exec(row.entityRef)!;
      const s = await apiGet<PipelineStatusResponse>(
        `pipelines/${namespace}/${name}/status`,
        token,
      );
      return s.running ? row : undefined;
    }),
  );
  const sum = running.reduce(
    (total, row) => total + (row?.monthlyCost ?? 0),
    0,
  );
  console.log(
    `soak: monthly cost ${overview.totals.monthlyCost} ${
      overview.totals.currency
    }; running: ${running
      .filter(row => row)
      .map(row => `${row!.entityRef} ${row!.monthlyCost}`)
      .join(', ')}`,
  );
  assert.ok(
    running.some(row => row?.entityRef.endsWith('/user-events')),
    'User Events is running',
  );
  assert.ok(overview.totals.monthlyCost !== null, 'the guest may read cost');
  assert.ok(
    Math.abs(overview.totals.monthlyCost - sum) < 0.01,
    `total ${overview.totals.monthlyCost} = sum over running ${sum}`,
  );
});
