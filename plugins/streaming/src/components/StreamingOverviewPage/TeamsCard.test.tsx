import {
  PipelineGroupFigures,
  StreamingTeamsResponse,
} from '@internal/plugin-streaming-common';
import { screen, within } from '@testing-library/react';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { TeamsCard } from './TeamsCard';

const figures = (
  over: Partial<PipelineGroupFigures>,
): PipelineGroupFigures => ({
  pipelines: 1,
  runningPipelines: 1,
  monthlyCost: 0,
  lagMessages: null,
  byHealth: { ok: 0, warning: 0, critical: 0, stale: 0, unknown: 0 },
  ...over,
});

const teams: StreamingTeamsResponse = {
  generatedAt: '2026-11-29T12:00:00.000Z',
  currency: 'EUR',
  teams: [
    {
      owner: 'group:default/team-growth',
      ...figures({
        pipelines: 3,
        runningPipelines: 2,
        monthlyCost: 4500,
        lagMessages: 1500,
        byHealth: { ok: 1, warning: 0, critical: 1, stale: 1, unknown: 0 },
      }),
      systems: [
        {
          system: 'clickstream',
          ...figures({
            monthlyCost: 3000,
            lagMessages: 1500,
            byHealth: { ok: 0, warning: 0, critical: 1, stale: 0, unknown: 0 },
          }),
        },
        {
          system: null,
          ...figures({
            pipelines: 2,
            monthlyCost: 1500,
            byHealth: { ok: 1, warning: 0, critical: 0, stale: 1, unknown: 0 },
          }),
        },
      ],
      monthlyBudget: 4000,
      overBudget: true,
    },
    {
      owner: 'group:default/payments',
      ...figures({
        monthlyCost: 400,
        lagMessages: 0,
        byHealth: { ok: 1, warning: 0, critical: 0, stale: 0, unknown: 0 },
      }),
      systems: [
        {
          system: 'orders',
          ...figures({
            monthlyCost: 400,
            lagMessages: 0,
            byHealth: { ok: 1, warning: 0, critical: 0, stale: 0, unknown: 0 },
          }),
        },
      ],
      monthlyBudget: 1000,
      overBudget: false,
    },
  ],
};

describe('TeamsCard', () => {
  const render = (getTeams: () => Promise<StreamingTeamsResponse>) =>
    renderWithEntity(<TeamsCard />, { api: mockStreamingApi({ getTeams }) });

  it('shows cost, lag, health and budget per team and system, and warns when over budget', async () => {
    await render(async () => teams);
    const growth = await screen.findByRole('row', { name: 'team-growth' });
    const cells = within(growth)
      .getAllByRole('cell')
      .map(c => c.textContent);
    expect(cells).toEqual([
      'team-growth',
      '2 of 3 running',
      'Critical1 healthy · 1 critical · 1 stale',
      '1.5K messages',
      '€4,500/mo',
      '€4,000/moOver budget: 113%',
    ]);
    const payments = screen.getByRole('row', { name: 'payments' });
    expect(within(payments).getAllByRole('cell')[5].textContent).toBe(
      '€1,000/mo40% used',
    );
    const alerts = screen.getAllByRole('alert');
    expect(alerts.map(a => a.textContent)).toEqual([
      'team-growth is over its monthly budget: running at €4,500/mo against €4,000/mo.',
    ]);
    // Systems follow their team, the unassigned ones said so.
    const rows = within(screen.getByRole('table', { name: 'Teams' }))
      .getAllByRole('row')
      .slice(1)
      .map(r => within(r).getAllByRole('cell')[0].textContent);
    expect(rows).toEqual([
      'team-growth',
      'clickstream',
      'no system',
      'payments',
      'orders',
    ]);
  });

  it('shows no cost, budget or warning to a caller who may not read cost', async () => {
    await render(async () => ({
      ...teams,
      teams: teams.teams.map(({ monthlyBudget: _, ...t }) => ({
        ...t,
        monthlyCost: null,
        overBudget: false,
        systems: t.systems.map(s => ({ ...s, monthlyCost: null })),
      })),
    }));
    const growth = await screen.findByRole('row', { name: 'team-growth' });
    const cells = within(growth).getAllByRole('cell');
    expect(cells[4].textContent).toBe('not permitted');
    expect(cells[5].textContent).toBe('');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText(/Over budget/)).not.toBeInTheDocument();
  });

  it('shows the error of a failed request', async () => {
    await render(async () => {
      throw new Error('teams unavailable');
    });
    expect(
      await screen.findByText('Error: teams unavailable', { selector: 'h6' }),
    ).toBeInTheDocument();
  });
});
