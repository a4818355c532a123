import { StreamingOverviewResponse } from '@internal/plugin-streaming-common';
import { groupByTeam } from './groupByTeam';

type Row = StreamingOverviewResponse['pipelines'][number];

const row = (over: Partial<Row>): Row => ({
  entityRef: 'component:default/p',
  title: 'p',
  health: 'ok',
  source: 'kafka: t',
  sink: 'delta: /d',
  inputRowsPerSecond: null,
  processingDelayMs: null,
  lagMessages: null,
  lagSeconds: null,
  executors: null,
  localThreads: null,
  running: true,
  monthlyCost: 0,
  ...over,
});

const overview = (pipelines: Row[]) =>
  ({
    generatedAt: '2026-11-29T12:00:00.000Z',
    totals: { currency: 'EUR' },
    pipelines,
  } as unknown as StreamingOverviewResponse);

describe('groupByTeam', () => {
  const pipelines = [
    row({
      owner: 'team-growth',
      system: 'clicks',
      monthlyCost: 3000,
      lagMessages: 10,
      health: 'warning',
    }),
    row({
      owner: 'group:default/team-growth',
      system: 'events',
      monthlyCost: 1500,
      lagMessages: 5,
    }),
    // Idle: its cost is an estimate, not part of the run rate.
    row({
      owner: 'group:default/team-growth',
      system: 'events',
      monthlyCost: 9999,
      running: false,
      health: 'stale',
    }),
    row({
      owner: 'group:default/payments',
      system: 'orders',
      monthlyCost: 400,
    }),
    row({ monthlyCost: 100 }),
  ];

  it('groups cost, lag and health by owner and system, with the budget warning', () => {
    const teams = groupByTeam(overview(pipelines), {
      'team-growth': 4000,
      'group:default/payments': 500,
    });
    expect(teams.currency).toBe('EUR');
    expect(
      teams.teams.map(t => [
        t.owner,
        t.pipelines,
        t.runningPipelines,
        t.monthlyCost,
        t.lagMessages,
        t.monthlyBudget,
        t.overBudget,
      ]),
    ).toEqual([
      ['group:default/team-growth', 3, 2, 4500, 15, 4000, true],
      ['group:default/payments', 1, 1, 400, null, 500, false],
      [null, 1, 1, 100, null, undefined, false],
    ]);
    const growth = teams.teams[0];
    expect(growth.byHealth).toEqual({
      ok: 1,
      warning: 1,
      critical: 0,
      stale: 1,
      unknown: 0,
    });
    expect(
      growth.systems.map(s => [s.system, s.pipelines, s.monthlyCost]),
    ).toEqual([
      ['clicks', 1, 3000],
      ['events', 2, 1500],
    ]);
  });

  it('gives no cost and no budget warning to callers who may not read cost', () => {
    const hidden = pipelines.map(p => ({ ...p, monthlyCost: null }));
    const growth = groupByTeam(overview(hidden), {
      'team-growth': 1,
    }).teams.find(t => t.owner === 'group:default/team-growth')!;
    expect(growth.monthlyCost).toBeNull();
    expect(growth.overBudget).toBe(false);
    expect(growth).not.toHaveProperty('monthlyBudget');
  });
});
