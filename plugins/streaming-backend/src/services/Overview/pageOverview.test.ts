import {
  PipelineOverviewRow,
  StreamingOverviewResponse,
} from '@internal/plugin-streaming-common';
import { pageOverview } from './pageOverview';

const row = (
  name: string,
  overrides: Partial<PipelineOverviewRow> = {},
): PipelineOverviewRow => ({
  entityRef: `component:default/${name}`,
  title: name,
  owner: 'group:default/data-platform',
  health: 'ok',
  source: `kafka: ${name}-in`,
  sink: `delta: /data/${name}`,
  inputRowsPerSecond: null,
  processingDelayMs: null,
  lagMessages: null,
  lagSeconds: null,
  executors: null,
  localThreads: null,
  running: false,
  monthlyCost: null,
  ...overrides,
});

function overviewOf(rows: PipelineOverviewRow[]): StreamingOverviewResponse {
  return {
    generatedAt: '2026-11-29T12:00:00.000Z',
    totals: {
      pipelines: rows.length,
      activePipelines: 0,
      throughput: 0,
      avgProcessingDelayMs: null,
      totalLagMessages: 1234,
      unknownLagPipelines: 0,
      executors: 0,
      localPipelines: 0,
      localThreads: [],
      clusters: 1,
      deltaTables: rows.length,
      recordsPerDay: 0,
      bytesPerDay: null,
      monthlyCost: null,
      currency: 'USD',
    },
    byHealth: { ok: 3, warning: 1, critical: 1, stale: 0, unknown: 0 },
    pipelines: rows,
    page: { offset: 0, limit: rows.length, total: rows.length },
    errors: [],
  };
}

const names = (o: StreamingOverviewResponse) => o.pipelines.map(p => p.title);

describe('pageOverview', () => {
  const overview = overviewOf([
    row('alpha', { lagMessages: 50, health: 'warning' }),
    row('bravo', { lagMessages: 5000, health: 'critical', system: 'orders' }),
    row('charlie', { owner: 'group:default/web', system: 'orders' }),
    row('delta', { lagMessages: 0 }),
    row('echo', { title: 'Echo clicks', lagMessages: 7 }),
  ]);
  const all = { offset: 0, limit: 100 };

  it('keeps the totals of every pipeline on each page and counts the matches', () => {
    const page = pageOverview(overview, { offset: 2, limit: 2 });
    expect(names(page)).toEqual(['charlie', 'delta']);
    expect(page.page).toEqual({ offset: 2, limit: 2, total: 5 });
    expect(page.totals).toBe(overview.totals);
    expect(page.byHealth).toBe(overview.byHealth);
    expect(names(pageOverview(overview, { offset: 4, limit: 2 }))).toEqual([
      'Echo clicks',
    ]);
    expect(pageOverview(overview, { offset: 9, limit: 2 }).pipelines).toEqual(
      [],
    );
  });

  it('sorts by a figure with unknown figures lowest, both ways', () => {
    expect(names(pageOverview(overview, { ...all, sort: 'lag' }))).toEqual([
      'charlie',
      'delta',
      'Echo clicks',
      'alpha',
      'bravo',
    ]);
    expect(
      names(
        pageOverview(overview, {
          offset: 0,
          limit: 2,
          sort: 'lag',
          order: 'desc',
        }),
      ),
    ).toEqual(['bravo', 'alpha']);
    expect(
      names(pageOverview(overview, { ...all, sort: 'health' })).slice(0, 2),
    ).toEqual(['bravo', 'alpha']);
  });

  it('filters by health, owner, system and text', () => {
    expect(
      names(
        pageOverview(overview, { ...all, health: ['critical', 'warning'] }),
      ),
    ).toEqual(['alpha', 'bravo']);
    expect(
      names(pageOverview(overview, { ...all, owner: 'group:default/web' })),
    ).toEqual(['charlie']);
    const orders = pageOverview(overview, { ...all, system: 'orders' });
    expect(names(orders)).toEqual(['bravo', 'charlie']);
    expect(orders.page.total).toBe(2);
    expect(orders.totals.pipelines).toBe(5);
    // Title, source and sink, case-insensitive.
    expect(names(pageOverview(overview, { ...all, q: 'CLICKS' }))).toEqual([
      'Echo clicks',
    ]);
    expect(names(pageOverview(overview, { ...all, q: 'delta-in' }))).toEqual([
      'delta',
    ]);
    expect(
      pageOverview(overview, { ...all, q: 'nothing like it' }).page.total,
    ).toBe(0);
  });

  it('answers the same object to the same query of the same overview', () => {
    const query = { offset: 0, limit: 2, sort: 'cost' as const };
    expect(pageOverview(overview, query)).toBe(pageOverview(overview, query));
    expect(pageOverview(overview, query)).not.toBe(
      pageOverview(overviewOf([...overview.pipelines]), query),
    );
  });
});
