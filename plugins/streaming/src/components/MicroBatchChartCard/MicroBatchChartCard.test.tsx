import { screen } from '@testing-library/react';
import * as fx from '../../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { MicroBatchChartCard } from './MicroBatchChartCard';

async function renderWith(batches: typeof fx.metrics.batches) {
  await renderWithEntity(<MicroBatchChartCard />, {
    entity: fx.pipelineEntity,
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
});
