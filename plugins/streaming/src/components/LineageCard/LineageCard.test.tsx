import { screen } from '@testing-library/react';
import * as fx from '../../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { LineageCard } from './LineageCard';

describe('LineageCard', () => {
  const catalog = [
    fx.pipelineEntity,
    fx.topicEntity,
    fx.tableEntity,
    fx.downstreamPipeline,
  ];

  it('shows upstream topics and downstream tables and pipelines as links', async () => {
    await renderWithEntity(<LineageCard />, {
      entity: fx.pipelineEntity,
      api: mockStreamingApi(),
      catalog,
    });
    expect((await screen.findByText('events')).closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/resource/kafka-local-events',
    );
    expect(screen.getByText('event_summary').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/resource/delta-event-summary',
    );
    expect(screen.getByText('Daily Report').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/daily-report',
    );
    expect(screen.getByText('User Events').closest('a')).toBeNull();
    expect(screen.getByText('Upstream')).toBeInTheDocument();
    expect(screen.getByText('Downstream')).toBeInTheDocument();
  });

  it('walks upstream from a table to the topic through its pipeline', async () => {
    await renderWithEntity(<LineageCard />, {
      entity: fx.tableEntity,
      api: mockStreamingApi(),
      catalog,
    });
    expect(await screen.findByText('events')).toBeInTheDocument();
    expect(screen.getByText('User Events')).toBeInTheDocument();
    expect(screen.getByText('Daily Report')).toBeInTheDocument();
  });

  it('says when the entity has no lineage', async () => {
    await renderWithEntity(<LineageCard />, {
      entity: {
        ...fx.bareEntity,
        metadata: { name: 'standalone', namespace: 'default' },
      },
      api: mockStreamingApi(),
      catalog,
    });
    expect(await screen.findByText('No lineage')).toBeInTheDocument();
  });
});
