import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as fx from '../../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { StreamingOverviewPage } from './StreamingOverviewPage';

function rowTitles() {
  const table = screen.getByRole('table');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0].textContent);
}

describe('StreamingOverviewPage', () => {
  const render = (
    api = mockStreamingApi({ getOverview: async () => fx.overview }),
  ) => renderWithEntity(<StreamingOverviewPage />, { api });

  it('shows the operations dashboard figures for people', async () => {
    await render();
    const figures: Record<string, string> = {
      'Active pipelines': '4',
      'Total throughput': '365K events/s',
      'Avg processing delay': '3.2 s',
      'Consumer lag': '1.2K messages',
      Executors: '45',
      'Delta tables': '4',
      'Data per day': '2.5 TB',
      'Monthly cost': '$4,500/mo',
    };
    for (const [label, value] of Object.entries(figures)) {
      const tile = await screen.findByLabelText(label);
      expect(within(tile).getByText(value)).toBeInTheDocument();
    }
    expect(
      screen.getByText('observed on Kubernetes · 3 clusters'),
    ).toBeInTheDocument();
  });

  it('lists every pipeline with route, throughput and cost', async () => {
    await render();
    await screen.findByText('User Events');
    expect(rowTitles()).toEqual([
      'User Events',
      'Order Stream',
      'Clickstream',
      'CDC Postgres',
      'Log Analytics',
    ]);
    expect(
      screen.getByText('Kafka: app-logs → Elasticsearch'),
    ).toBeInTheDocument();
    expect(screen.getByText('50K msg/s')).toBeInTheDocument();
    expect(screen.getByText('$900/mo')).toBeInTheDocument();
  });

  it('shows unknown lag as unknown and idle cost as an estimate, outside the totals', async () => {
    const [first, ...rest] = fx.overview.pipelines;
    await render(
      mockStreamingApi({
        getOverview: async () => ({
          ...fx.overview,
          totals: {
            ...fx.overview.totals,
            totalLagMessages: null,
            unknownLagPipelines: 1,
          },
          pipelines: [
            {
              ...first,
              health: 'unknown',
              running: false,
              lagMessages: null,
              lagSeconds: null,
              lagUnknownReason: 'no micro-batch yet',
              inputRowsPerSecond: null,
            },
            ...rest,
          ],
        }),
      }),
    );
    expect(await screen.findByText('$500/mo estimate')).toHaveAttribute(
      'title',
      'Not running: not counted in the monthly total',
    );
    expect(screen.getByTitle('no micro-batch yet')).toHaveTextContent(
      /^unknown$/,
    );
    const lagTile = screen.getByLabelText('Consumer lag');
    expect(within(lagTile).getByText('unknown')).toBeInTheDocument();
    expect(
      within(lagTile).getByText('1 pipeline unknown, not counted'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('Monthly cost')).getByText(
        'running pipelines only',
      ),
    ).toBeInTheDocument();
  });

  it('sorts by a column and filters by health and text', async () => {
    await render();
    await screen.findByText('User Events');
    const header = within(screen.getByRole('table')).getAllByRole('button', {
      name: 'Throughput',
    })[0];
    await userEvent.click(header);
    await userEvent.click(header);
    expect(rowTitles()[0]).toBe('Log Analytics');

    await userEvent.click(screen.getByText('Critical (1)'));
    expect(rowTitles()).toEqual(['Log Analytics']);
    await userEvent.click(screen.getByText('All (5)'));
    expect(rowTitles()).toHaveLength(5);

    await userEvent.type(screen.getByPlaceholderText('Filter'), 'order');
    await waitFor(() => expect(rowTitles()).toEqual(['Order Stream']));
  });

  it('says so when there are no pipelines', async () => {
    await render(
      mockStreamingApi({
        getOverview: async () => ({ ...fx.overview, pipelines: [] }),
      }),
    );
    expect(
      await screen.findByText('No streaming pipelines yet'),
    ).toBeInTheDocument();
  });

  it('shows the error of a failed request', async () => {
    await render(
      mockStreamingApi({
        getOverview: async () => {
          throw new Error('overview unavailable');
        },
      }),
    );
    expect(
      (await screen.findAllByText(/overview unavailable/)).length,
    ).toBeGreaterThan(0);
  });

  it('shows progress while loading', async () => {
    await render(mockStreamingApi());
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('hides the cost from callers who may not read it', async () => {
    await render(
      mockStreamingApi({
        getOverview: async () => ({
          ...fx.overview,
          totals: { ...fx.overview.totals, monthlyCost: null },
        }),
      }),
    );
    const tile = await screen.findByLabelText('Monthly cost');
    expect(within(tile).getByText('not permitted')).toBeInTheDocument();
  });
});
