import {
  PipelineOverviewRow,
  StreamingOverviewQuery,
} from '@internal/plugin-streaming-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as fx from '../../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { StreamingOverviewPage } from './StreamingOverviewPage';

function rowTitles() {
  const table = screen.getAllByRole('table')[0];
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0].textContent);
}

/**
 * What the backend answers, for the queries this page sends: health and
 * title filters, sorting by throughput, one page.
 */
async function answer(query: StreamingOverviewQuery = {}) {
  const throughput = (r: PipelineOverviewRow) =>
    r.inputRowsPerSecond ?? -Infinity;
  let rows = fx.overview.pipelines.filter(
    r =>
      (!query.health || query.health.includes(r.health)) &&
      (!query.q || r.title.toLowerCase().includes(query.q.toLowerCase())),
  );
  if (query.sort === 'throughput') {
    rows = [...rows].sort((a, b) => throughput(a) - throughput(b));
    if (query.order === 'desc') rows.reverse();
  }
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 500;
  return {
    ...fx.overview,
    pipelines: rows.slice(offset, offset + limit),
    page: { offset, limit, total: rows.length },
  };
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
      'Data in the last 24 h': '2.5 TB',
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

  it('claims no Kubernetes cluster for executors when none was observed', async () => {
    await render(
      mockStreamingApi({
        getOverview: async () => ({
          ...fx.overview,
          totals: {
            ...fx.overview.totals,
            activePipelines: 0,
            executors: 0,
            localPipelines: 0,
            localThreads: [],
            clusters: 0,
          },
        }),
      }),
    );
    const tile = await screen.findByLabelText('Executors');
    expect(within(tile).getByText('0')).toBeInTheDocument();
    // Before: "observed on Kubernetes · 0 clusters" (or the Kafka cluster's 1).
    expect(
      within(tile).getByText('no running job observed'),
    ).toBeInTheDocument();
    expect(within(tile).queryByText(/Kubernetes/)).toBeNull();
  });

  it('shows the executors observed: a local job as local mode with its threads, from the job', async () => {
    const [first, second, ...rest] = fx.overview.pipelines;
    await render(
      mockStreamingApi({
        getOverview: async () => ({
          ...fx.overview,
          totals: {
            ...fx.overview.totals,
            executors: 0,
            localPipelines: 1,
            localThreads: [2],
          },
          pipelines: [
            {
              ...first,
              executors: 0,
              executorsObservedBy: 'job',
              localThreads: 2,
            },
            {
              ...second,
              executors: null,
              localThreads: null,
            },
            ...rest,
          ],
        }),
      }),
    );
    const tile = await screen.findByLabelText('Executors');
    expect(within(tile).getByText('local, 2 threads')).toBeInTheDocument();
    expect(
      within(tile).getByText('1 pipeline in local mode, observed from the job'),
    ).toBeInTheDocument();
    const table = screen.getAllByRole('table')[0];
    expect(within(table).getByText('local, 2 threads')).toHaveAttribute(
      'title',
      "Observed from the job: Spark's local mode, no executors",
    );
    // The others' executors come from Kubernetes (6, 7 and 8).
    expect(
      within(table)
        .getAllByTitle('Observed from Kubernetes')
        .map(cell => cell.textContent),
    ).toEqual(['6', '7', '8']);
    expect(
      within(table).getByTitle(
        'Not observed: neither Kubernetes nor a running job reported executors',
      ),
    ).toHaveTextContent('—');
  });

  it('lets long identifiers wrap only after separators, never inside a word', async () => {
    await render();
    const route = await screen.findByText('Kafka: app-logs → Elasticsearch');
    // A line may break after ':', '-' and '→' (a <wbr> each), nowhere else.
    expect(route.innerHTML).toBe(
      'Kafka:<wbr> app-<wbr>logs →<wbr> Elasticsearch',
    );
    expect(route).toHaveStyle({ wordBreak: 'normal' });
    expect(route.closest('td')).toHaveStyle({ wordBreak: 'normal' });
  });

  it('asks the server to sort by a column and filter by health and text', async () => {
    const api = mockStreamingApi({ getOverview: answer });
    await render(api);
    await screen.findByText('User Events');
    const header = within(screen.getByRole('table')).getAllByRole('button', {
      name: 'Throughput',
    })[0];
    await userEvent.click(header);
    await userEvent.click(header);
    await waitFor(() => expect(rowTitles()[0]).toBe('Log Analytics'));
    expect(api.getOverview).toHaveBeenLastCalledWith({
      offset: 0,
      limit: 20,
      sort: 'throughput',
      order: 'desc',
    });

    await userEvent.click(screen.getByText('Critical (1)'));
    await waitFor(() => expect(rowTitles()).toEqual(['Log Analytics']));
    expect(api.getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ health: ['critical'], offset: 0 }),
    );
    await userEvent.click(screen.getByText('All (5)'));
    await waitFor(() => expect(rowTitles()).toHaveLength(5));

    await userEvent.type(screen.getByPlaceholderText('Filter'), 'order');
    // The search box waits for typing to pause before it asks.
    await waitFor(() => expect(rowTitles()).toEqual(['Order Stream']), {
      timeout: 10_000,
    });
    expect(api.getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ q: 'order' }),
    );
  }, 120_000);

  it('pages through the pipelines on the server, the totals of all shown', async () => {
    const many = Array.from({ length: 45 }, (_, i) => ({
      ...fx.overview.pipelines[i % 5],
      entityRef: `component:default/p${i}`,
      title: `Pipeline ${String(i).padStart(2, '0')}`,
    }));
    const api = mockStreamingApi({
      getOverview: async (query = {}) => ({
        ...fx.overview,
        totals: { ...fx.overview.totals, pipelines: 45 },
        pipelines: many.slice(
          query.offset ?? 0,
          (query.offset ?? 0) + (query.limit ?? 500),
        ),
        page: {
          offset: query.offset ?? 0,
          limit: query.limit ?? 500,
          total: 45,
        },
      }),
    });
    await render(api);
    await screen.findByText('Pipeline 00');
    expect(rowTitles()).toHaveLength(20);
    expect(screen.getByText('All (45)')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /next page/i }));
    await waitFor(() => expect(rowTitles()[0]).toBe('Pipeline 20'));
    expect(api.getOverview).toHaveBeenLastCalledWith({ offset: 20, limit: 20 });
    expect(
      within(screen.getByLabelText('Active pipelines')).getByText('4'),
    ).toBeInTheDocument();
  }, 120_000);

  it('says so when there are no pipelines', async () => {
    await render(
      mockStreamingApi({
        getOverview: async () => ({
          ...fx.overview,
          totals: { ...fx.overview.totals, pipelines: 0 },
          pipelines: [],
          page: { offset: 0, limit: 20, total: 0 },
        }),
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
