import { screen, waitFor, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_DELTA_PATH,
  ANNOTATION_ELASTICSEARCH_CLUSTER,
  ANNOTATION_ELASTICSEARCH_NODES,
  ANNOTATION_KAFKA_TOPIC,
  ANNOTATION_PIPELINE_SUMMARY,
} from '@internal/plugin-streaming-common';
import { StreamingApi } from '../api';
import * as fx from '../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../__testUtils__/renderWithEntity';
import { CostCard } from './CostCard';
import { formatAxisMoney } from './CostCard/CostCard';
import { DeltaTableCard } from './DeltaTableCard';
import { SearchIndexCard } from './SearchIndexCard';
import { LagCard } from './LagCard';
import { MicroBatchChartCard } from './MicroBatchChartCard';
import { PipelineHealthHeader } from './PipelineHealthHeader';
import { StateWatermarkCard } from './StateWatermarkCard';
import { TopicCard } from './TopicCard';

interface CardCase<K extends keyof StreamingApi> {
  name: string;
  Card: () => JSX.Element;
  method: K;
  entity: Entity;
  annotation: string;
  data: Awaited<ReturnType<StreamingApi[K]>>;
  /** Texts the card shows for `data`. */
  shows: Array<string | RegExp>;
  /** An answer with nothing to show, and the card's words for it. */
  empty?: { data: Awaited<ReturnType<StreamingApi[K]>>; text: string };
}

function without(entity: Entity, annotation: string): Entity {
  const annotations = { ...entity.metadata.annotations };
  delete annotations[annotation];
  return { ...entity, metadata: { ...entity.metadata, annotations } };
}

const cases: CardCase<keyof StreamingApi>[] = [
  {
    name: 'PipelineHealthHeader',
    Card: PipelineHealthHeader,
    method: 'getPipelineStatus',
    entity: fx.pipelineEntity,
    annotation: ANNOTATION_PIPELINE_SUMMARY,
    data: fx.status,
    shows: [
      'Warning',
      '4 s ago',
      'RUNNING (8/8 executors)',
      fx.status.reasons[0],
      fx.status.scalingHint!,
    ],
  },
  {
    name: 'MicroBatchChartCard',
    Card: MicroBatchChartCard,
    method: 'getPipelineMetrics',
    entity: fx.pipelineEntity,
    annotation: ANNOTATION_PIPELINE_SUMMARY,
    data: fx.metrics,
    shows: ['1.2K rows/s', '1.5K rows/s', '3.4 s / 5.1 s', '20K'],
    empty: {
      data: { ...fx.metrics, batches: [] },
      text: 'No micro-batches in this range',
    },
  },
  {
    name: 'LagCard',
    Card: LagCard,
    method: 'getPipelineLag',
    entity: fx.pipelineEntity,
    annotation: ANNOTATION_PIPELINE_SUMMARY,
    data: fx.lag,
    shows: [
      '1.2K messages',
      '10K messages / 1 min',
      'events/0',
      '1000 / 1800',
      '800',
      'new partition',
    ],
    empty: {
      data: { ...fx.lag, partitions: [], history: [], totalMessages: null },
      text: 'No lag data yet',
    },
  },
  {
    name: 'CostCard',
    Card: CostCard,
    method: 'getPipelineCost',
    entity: fx.pipelineEntity,
    annotation: ANNOTATION_PIPELINE_SUMMARY,
    data: fx.cost,
    shows: [
      '$1.71/h',
      '$41/day',
      '$1,234/mo',
      '$0.38',
      /Driver \$0\.15\/h \(1 core, 2 GB\) · Executors \$1\.56\/h \(4 × 2 cores, 4 GB\)/,
    ],
    empty: {
      data: { ...fx.cost, perHour: 0, history: [] },
      text: 'No cost yet',
    },
  },
  {
    name: 'StateWatermarkCard',
    Card: StateWatermarkCard,
    method: 'getPipelineMetrics',
    entity: fx.pipelineEntity,
    annotation: ANNOTATION_PIPELINE_SUMMARY,
    data: fx.metrics,
    shows: ['10 min', '#103', 'stateStoreSave', '52 MB', '24K'],
    empty: {
      data: { ...fx.metrics, batches: [] },
      text: 'No recent micro-batch',
    },
  },
  {
    name: 'TopicCard',
    Card: TopicCard,
    method: 'getTopicDetails',
    entity: fx.topicEntity,
    annotation: ANNOTATION_KAFKA_TOPIC,
    data: fx.topic,
    shows: [
      '50K msg/s',
      '4.2K',
      '2 partitions on local',
      'none',
      'user-events',
    ],
    empty: {
      data: { ...fx.topic, partitions: [] },
      text: 'No partitions found',
    },
  },
  {
    name: 'DeltaTableCard',
    Card: DeltaTableCard,
    method: 'getDeltaTableDetails',
    entity: fx.tableEntity,
    annotation: ANNOTATION_DELTA_PATH,
    data: fx.table,
    shows: [
      '42',
      '1.5K',
      '2.5 GB',
      /STREAMING UPDATE/,
      'event_count',
      'daily-report',
    ],
  },
  {
    name: 'SearchIndexCard',
    Card: SearchIndexCard,
    method: 'getSearchIndexDetails',
    entity: fx.indexEntity,
    annotation: ANNOTATION_ELASTICSEARCH_NODES,
    data: fx.searchIndex,
    shows: [
      '5.7K',
      '1.8 MB',
      '1 primary, 1 replica',
      'yellow (replicas unassigned)',
      'local',
      'log-analytics',
    ],
  },
];

describe.each(cases)('$name', c => {
  const render = (api: StreamingApi, entity = c.entity) =>
    renderWithEntity(<c.Card />, { entity, api });

  it('shows the data', async () => {
    const api = mockStreamingApi({ [c.method]: async () => c.data });
    await render(api);
    for (const text of c.shows) {
      expect((await screen.findAllByText(text)).length).toBeGreaterThan(0);
    }
    expect(api[c.method].mock.calls[0][0]).toEqual({
      kind: c.entity.kind,
      namespace: 'default',
      name: c.entity.metadata.name,
    });
  });

  it('shows progress while loading', async () => {
    await render(mockStreamingApi());
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error of a failed request', async () => {
    const api = mockStreamingApi({
      [c.method]: async () => {
        throw new Error('streaming backend is down');
      },
    });
    await render(api);
    expect(
      (await screen.findAllByText(/streaming backend is down/)).length,
    ).toBeGreaterThan(0);
  });

  it('names the missing annotation and does not call the backend', async () => {
    const api = mockStreamingApi({ [c.method]: async () => c.data });
    await render(api, without(c.entity, c.annotation));
    expect(await screen.findByText(c.annotation)).toBeInTheDocument();
    expect(screen.getByText('Read more').closest('a')).toHaveAttribute(
      'href',
      '/docs/default/component/streaming-platform/pipeline-page/#annotations',
    );
    expect(api[c.method]).not.toHaveBeenCalled();
  });
});

describe('SearchIndexCard of an index on a named search cluster', () => {
  it('loads the statistics without node URLs', async () => {
    const entity = without(fx.indexEntity, ANNOTATION_ELASTICSEARCH_NODES);
    entity.metadata.annotations![ANNOTATION_ELASTICSEARCH_CLUSTER] = 'local';
    const api = mockStreamingApi({
      getSearchIndexDetails: async () => fx.searchIndex,
    });
    await renderWithEntity(<SearchIndexCard />, { entity, api });
    expect(await screen.findByText('5.7K')).toBeInTheDocument();
    expect(api.getSearchIndexDetails).toHaveBeenCalledTimes(1);
  });
});

describe.each(cases.filter(c => c.empty))('$name without data', c => {
  it('says when there is nothing to show', async () => {
    const api = mockStreamingApi({ [c.method]: async () => c.empty!.data });
    await renderWithEntity(<c.Card />, { entity: c.entity, api });
    expect(await screen.findByText(c.empty!.text)).toBeInTheDocument();
  });
});

describe.each(cases.filter(c => 'errors' in c.data))(
  '$name with a partial answer',
  c => {
    it('shows the errors of single sources next to the data', async () => {
      const api = mockStreamingApi({
        [c.method]: async () => ({
          ...c.data,
          errors: [{ source: 'kafka:local', message: 'broker unreachable' }],
        }),
      });
      await renderWithEntity(<c.Card />, { entity: c.entity, api });
      expect(
        await screen.findByText('kafka:local: broker unreachable'),
      ).toBeInTheDocument();
      expect((await screen.findAllByText(c.shows[0])).length).toBeGreaterThan(
        0,
      );
    });
  },
);

describe('LagCard before the first micro-batch', () => {
  it('shows the lag as unknown with its reason, never as 0', async () => {
    const api = mockStreamingApi({
      getPipelineLag: async () => ({
        ...fx.lag,
        totalMessages: null,
        unknownReason: 'no micro-batch yet',
        maxLagSeconds: null,
        history: [],
        partitions: fx.lag.partitions.map(p => ({
          ...p,
          consumedOffset: undefined,
          lagMessages: null,
          lagSeconds: null,
          issue: 'no-progress' as const,
        })),
      }),
    });
    await renderWithEntity(<LagCard />, { entity: fx.pipelineEntity, api });
    expect(
      await screen.findByText('unknown: no micro-batch yet'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/^0 messages/)).not.toBeInTheDocument();
  });
});

describe('CostCard axis', () => {
  it('labels small daily costs with enough precision to differ', () => {
    expect(
      [0, 0.0025, 0.005, 0.0075, 0.01].map(v => formatAxisMoney(v, 'USD')),
    ).toEqual(['$0', '$0.0025', '$0.005', '$0.0075', '$0.01']);
    expect(formatAxisMoney(1234.5, 'USD')).toBe('$1,235');
  });
});

describe('CostCard of an idle pipeline', () => {
  it('labels the figures an estimate', async () => {
    const api = mockStreamingApi({
      getPipelineCost: async () => ({ ...fx.cost, running: false }),
    });
    await renderWithEntity(<CostCard />, { entity: fx.pipelineEntity, api });
    expect(
      await screen.findByText(/^Not running: an estimate of what it costs/),
    ).toBeInTheDocument();
  });
});

describe('PipelineHealthHeader links', () => {
  it('links the runbook section of the alert, the driver UI and no unsafe URL', async () => {
    const api = mockStreamingApi({
      getPipelineStatus: async () => ({
        ...fx.status,
        application: {
          ...fx.status.application!,
          driverUiUrl: ['javascript', 'alert(1)'].join(':'),
        },
      }),
    });
    await renderWithEntity(<PipelineHealthHeader />, {
      entity: fx.pipelineEntity,
      api,
    });
    const card = await screen.findByText('Runbook: lag');
    expect(card.closest('a')).toHaveAttribute(
      'href',
      '/docs/default/component/user-events/runbook/#lag',
    );
    expect(screen.queryByText('Driver UI')).not.toBeInTheDocument();
  });

  it('shows no runbook link in an app without TechDocs', async () => {
    const api = mockStreamingApi({ getPipelineStatus: async () => fx.status });
    await renderWithEntity(<PipelineHealthHeader />, {
      entity: fx.pipelineEntity,
      api,
      withoutTechDocs: true,
    });
    expect(await screen.findByText('Driver UI')).toBeInTheDocument();
    expect(screen.queryByText(/^Runbook/)).not.toBeInTheDocument();
  });

  it('links a safe driver UI', async () => {
    const api = mockStreamingApi({ getPipelineStatus: async () => fx.status });
    await renderWithEntity(<PipelineHealthHeader />, {
      entity: fx.pipelineEntity,
      api,
    });
    expect((await screen.findByText('Driver UI')).closest('a')).toHaveAttribute(
      'href',
      'https://spark.example.com/user-events',
    );
  });
});

describe('MicroBatchChartCard range', () => {
  it('fetches the chosen range', async () => {
    const api = mockStreamingApi({
      getPipelineMetrics: async () => fx.metrics,
    });
    await renderWithEntity(<MicroBatchChartCard />, {
      entity: fx.pipelineEntity,
      api,
    });
    const picker = await screen.findByRole('group', { name: 'time range' });
    within(picker).getByRole('button', { name: '6h' }).click();
    await waitFor(() =>
      expect(api.getPipelineMetrics).toHaveBeenLastCalledWith(
        expect.anything(),
        { window: '6h' },
      ),
    );
  });
});
