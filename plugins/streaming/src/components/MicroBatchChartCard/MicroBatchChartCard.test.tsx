import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PIPELINE_SUMMARY,
  kafkaTopicEntityName,
} from '@internal/plugin-streaming-common';
import * as fx from '../../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { MicroBatchChartCard } from './MicroBatchChartCard';

async function renderWith(
  batches: typeof fx.metrics.batches,
  entity: Entity = fx.pipelineEntity,
) {
  await renderWithEntity(<MicroBatchChartCard />, {
    entity,
    api: mockStreamingApi({
      getPipelineMetrics: async () => ({ ...fx.metrics, batches }),
    }),
  });
}

function fact(label: string) {
  return screen.getByText(label).nextElementSibling?.textContent;
}

describe('MicroBatchChartCard', () => {
  it("sums the bytes and unparseable records the job's batches report", async () => {
    const [a, b, c] = fx.metrics.batches;
    await renderWith([
      { ...a, inputBytes: 1_200_000, badRecords: 2 },
      // A batch of a job rendered before the observation: left out, not 0.
      { ...b, inputBytes: undefined, badRecords: undefined },
      { ...c, inputBytes: 300_000, badRecords: 1 },
    ]);
    await screen.findByText('Bytes in range');
    expect(fact('Bytes in range')).toBe('1.5 MB');
    expect(fact('Unparseable records')).toBe('3');
  });

  it('says when no batch reports them', async () => {
    await renderWith(fx.metrics.batches);
    await screen.findByText('Bytes in range');
    expect(fact('Bytes in range')).toBe('not reported');
    expect(fact('Unparseable records')).toBe('not reported');
  });

  it('shows the dead-lettered records of the last batch and the range, and links the dead-letter topic', async () => {
    const [a, b, c] = fx.metrics.batches;
    const entity: Entity = {
      ...fx.pipelineEntity,
      metadata: {
        ...fx.pipelineEntity.metadata,
        annotations: {
          [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify({
            ...fx.summary,
            deadLetter: { type: 'kafka', topic: 'events.dead-letter' },
          }),
        },
      },
    };
    await renderWith(
      [
        { ...a, badRecords: 2, deadLetterRecords: 2 },
        { ...b, badRecords: 0, deadLetterRecords: 0 },
        { ...c, badRecords: 1, deadLetterRecords: 1 },
      ],
      entity,
    );
    await screen.findByText('Dead-lettered (last batch / range)');
    expect(fact('Dead-lettered (last batch / range)')).toBe('1 / 3');
    const name = kafkaTopicEntityName('local', 'events.dead-letter');
    expect(
      screen
        .getByText('Dead-letter target')
        .nextElementSibling?.querySelector('a'),
    ).toHaveAttribute(
      'href',
      expect.stringContaining(`/catalog/default/resource/${name}`),
    );
  });

  it('says when the pipeline has no dead-letter target', async () => {
    await renderWith(fx.metrics.batches);
    await screen.findByText('Dead-letter target');
    expect(fact('Dead-lettered (last batch / range)')).toBe('not reported');
    expect(fact('Dead-letter target')).toBe(
      'none: unparseable records flow on as nulls',
    );
  });
});
