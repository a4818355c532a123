import { join, resolve } from 'node:path';
import type { DeltaRow } from './__testUtils__/DeltaReader';
import { setUpPipelineTest } from './__testUtils__/setUpPipelineTest';

// A medallion step: a Delta source (bronze sales), a stream-static join with a Delta
// lookup table (stores -> region), an aggregate without window written in complete mode
// (revenue per region, the whole result rewritten each batch), run with availableNow
// twice on one checkpoint. Between the runs, sales are appended to bronze and a store is
// added to the lookup: the second run reads only the new bronze commit, joins it with the
// lookup as it is then, and rewrites totals that include the first run's state.
jest.setTimeout(20 * 60_000);

const specFile = resolve(__dirname, '__fixtures__/medallion-revenue.yaml');

const SALES = 'sale_id STRING, store STRING, amount DOUBLE, sold_at TIMESTAMP';
const STORES = 'store STRING, region STRING';

const sale = (id: number, store: string, amount: number) => ({
  sale_id: `sale-${id}`,
  store,
  amount,
  sold_at: `2026-01-05T10:${String(id).padStart(2, '0')}:00Z`,
});

const byRegion = (rows: DeltaRow[]) =>
  [...rows].sort((a, b) =>
    String(a.region ?? '').localeCompare(String(b.region ?? '')),
  );

describe('a Delta source joined with a static Delta table, aggregated in complete mode', () => {
  const run = setUpPipelineTest(specFile, 1);

  it('reads each bronze commit once, joins with the lookup as it is, and rewrites the totals', async () => {
    const bronze = join(run.pipeline.dir, 'bronze_sales');
    const stores = join(run.pipeline.dir, 'stores');
    const env = {
      PIPELINE_SOURCE_PATH: bronze,
      PIPELINE_JOIN_0_PATH: stores,
    };
    await run.reader.append(stores, STORES, [
      { store: 's1', region: 'north' },
      { store: 's2', region: 'south' },
    ]);
    // s3 is not in the lookup yet: a left join keeps its sale with no region.
    await run.reader.append(bronze, SALES, [
      sale(1, 's1', 10),
      sale(2, 's2', 5),
      sale(3, 's1', 2.5),
      sale(4, 's3', 7),
    ]);

    run.pipeline.start(env);
    expect(await run.pipeline.finished()).toBe(0);
    expect(byRegion(await run.reader.read(run.pipeline.sinkPath))).toEqual([
      { region: null, sales: 1, revenue: 7 },
      { region: 'north', sales: 2, revenue: 12.5 },
      { region: 'south', sales: 1, revenue: 5 },
    ]);

    await run.reader.append(stores, STORES, [{ store: 's3', region: 'north' }]);
    await run.reader.append(bronze, SALES, [
      sale(5, 's3', 3),
      sale(6, 's2', 1),
    ]);
    run.pipeline.start(env);
    expect(await run.pipeline.finished()).toBe(0);
    // The state carries the first run's totals; sale 4 keeps its null region (joined when
    // it was read), sale 5 of the same store now joins north.
    expect(byRegion(await run.reader.read(run.pipeline.sinkPath))).toEqual([
      { region: null, sales: 1, revenue: 7 },
      { region: 'north', sales: 3, revenue: 15.5 },
      { region: 'south', sales: 2, revenue: 6 },
    ]);

    // Complete mode: each streaming commit rewrites the table, one per run that read data.
    const { history } = await run.reader.detail(run.pipeline.sinkPath);
    const updates = history.filter(h => h.operation === 'STREAMING UPDATE');
    expect(updates.map(h => h.operationParameters.outputMode)).toEqual([
      'Complete',
      'Complete',
    ]);
    run.passed = true;
  });
});
