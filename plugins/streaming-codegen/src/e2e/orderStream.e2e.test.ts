import { resolve } from 'node:path';
import type { DeltaRow } from './__testUtils__/DeltaReader';
import type { QueryProgress } from './__testUtils__/progressSummary';
import { repoRoot } from './__testUtils__/repoRoot';
import { setUpPipelineTest } from './__testUtils__/setUpPipelineTest';

// The Order Stream example (examples/pipelines/order-stream): order events filtered and
// typed, a 15-minute watermark on the order time, and re-sent events dropped by order and
// status. The deduplication's state must stay bounded: keys older than the watermark
// leave it.
jest.setTimeout(20 * 60_000);

const specFile = resolve(
  repoRoot,
  'examples/pipelines/order-stream/pipeline.yaml',
);
const MINUTE = 60_000;
const base = Date.parse('2026-01-05T10:00:00Z');

type Order = {
  order_id: string;
  customer_id: string;
  status: string;
  total: number;
  currency: string;
  created_at: string;
};

const order = (
  id: number,
  status: string,
  minute: number,
  total = 10 * id + 0.5,
): Order => ({
  order_id: `o-${id}`,
  customer_id: `c-${id % 3}`,
  status,
  total,
  currency: 'EUR',
  created_at: new Date(base + minute * MINUTE).toISOString(),
});

const firstOrders: Order[] = [
  order(1, 'created', 0),
  order(1, 'created', 0), // re-sent
  order(1, 'paid', 0),
  order(2, 'created', 1),
  order(2, 'cancelled', 1), // not a fact
  order(3, 'created', 2, 0), // total 0: not a fact
  order(4, 'created', 3),
  order(4, 'paid', 3),
  order(4, 'paid', 3), // re-sent
  order(4, 'shipped', 3),
];
// After a restart: one more re-send of an order still within the watermark, new
// orders, and one that moves the watermark an hour on.
const laterOrders: Order[] = [
  order(4, 'shipped', 3), // re-sent: its key is in the restored state
  order(5, 'created', 5),
  order(5, 'paid', 5),
  order(6, 'created', 65),
];

const facts = (orders: Order[]) => {
  const seen = new Set<string>();
  return orders
    .filter(o => ['created', 'paid', 'shipped'].includes(o.status))
    .filter(o => o.total > 0)
    .filter(o => {
      const key = `${o.order_id}/${o.status}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ created_at, ...rest }) => ({ ...rest, order_time: created_at }))
    .sort(byOrderStatus);
};

function byOrderStatus(a: Record<string, unknown>, b: Record<string, unknown>) {
  return `${a.order_id}/${a.status}`.localeCompare(`${b.order_id}/${b.status}`);
}

const normalise = (rows: DeltaRow[]) =>
  rows
    .map(
      (row): DeltaRow => ({
        ...row,
        order_time: new Date(String(row.order_time)).toISOString(),
      }),
    )
    .sort(byOrderStatus);

/** Rows kept by the deduplication operator at the end of the newest batch. */
const stateRows = (last: QueryProgress | undefined) =>
  (last as { stateOperators?: { numRowsTotal: number }[] } | undefined)
    ?.stateOperators?.[0]?.numRowsTotal;

describe('Order Stream pipeline, generated and run on Kafka and Spark', () => {
  const run = setUpPipelineTest(specFile, 2);

  const produce = (orders: Order[]) =>
    run.kafka.produceRecords(
      run.pipeline.sourceTopic,
      orders.map(o => ({ key: o.order_id, value: JSON.stringify(o) })),
    );
  const watermarkIs = (minute: number) => (last: QueryProgress) =>
    last.numInputRows === 0 &&
    last.eventTime?.watermark !== undefined &&
    Date.parse(last.eventTime.watermark) === base + minute * MINUTE;

  it('writes each order fact once across a restart, and evicts keys behind the watermark', async () => {
    await produce(firstOrders);
    run.pipeline.start();
    await run.pipeline.waitProcessed();
    expect(normalise(await run.reader.read(run.pipeline.sinkPath))).toEqual(
      facts(firstOrders),
    );

    await run.pipeline.stop();
    await produce(laterOrders);
    run.pipeline.start();
    // The order at 11:05 moves the watermark to 10:50.
    const progress = await run.pipeline.waitProcessed(watermarkIs(50));
    expect(normalise(await run.reader.read(run.pipeline.sinkPath))).toEqual(
      facts([...firstOrders, ...laterOrders]),
    );
    expect(progress.runIds).toHaveLength(2);
    // Only the key of the order at 11:05 is still within the watermark's reach.
    expect(stateRows(progress.last)).toBe(1);
    run.passed = true;
  });
});
