import { MicroBatch } from '@internal/plugin-streaming-common';
import { observeExecutors } from './observeExecutors';

const batch = (runtime?: MicroBatch['runtime']): MicroBatch => ({
  batchId: 3,
  timestamp: '2026-11-29T12:00:00.000Z',
  numInputRows: 10,
  inputRowsPerSecond: 2,
  processedRowsPerSecond: 2,
  durationMs: {},
  stateOperators: [],
  sources: [],
  runtime,
});

describe('observeExecutors', () => {
  const app = {
    executors: { running: 3, total: 4 },
  } as Parameters<typeof observeExecutors>[0];

  it('takes Kubernetes first, whatever the job reports', () => {
    expect(
      observeExecutors(
        app,
        batch({ master: 'local[2]', defaultParallelism: 2, executors: null }),
      ),
    ).toEqual({
      executors: 3,
      executorsObservedBy: 'kubernetes',
      localThreads: null,
    });
  });

  it("without Kubernetes, a local job's threads, observed from the job", () => {
    expect(
      observeExecutors(
        undefined,
        batch({ master: 'local[2]', defaultParallelism: 2, executors: null }),
      ),
    ).toEqual({ executors: 0, executorsObservedBy: 'job', localThreads: 2 });
    expect(
      observeExecutors(
        undefined,
        batch({ master: 'local', defaultParallelism: 1, executors: null }),
      ),
    ).toMatchObject({ localThreads: 1 });
  });

  it("without Kubernetes, a cluster job's executors as it counts them", () => {
    expect(
      observeExecutors(
        undefined,
        batch({
          master: 'spark://host:7077',
          defaultParallelism: 8,
          executors: 2,
        }),
      ),
    ).toEqual({ executors: 2, executorsObservedBy: 'job', localThreads: null });
  });

  it('observes nothing without a report or a running job', () => {
    const nothing = { executors: null, localThreads: null };
    expect(observeExecutors(undefined, batch())).toEqual(nothing);
    expect(observeExecutors(undefined, null)).toEqual(nothing);
  });
});
