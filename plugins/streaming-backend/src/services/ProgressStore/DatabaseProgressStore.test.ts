import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { progressEvent } from '../../__testUtils__/progressEvents';
import { DatabaseProgressStore } from './DatabaseProgressStore';
import { parseProgressRecord } from './progressEvent';

jest.setTimeout(60_000);

const databases = createTestDatabases();

function batch(
  name: string,
  batchId: number,
  at: Date,
  rows = 10,
  inputBytes?: number,
) {
  const parsed = parseProgressRecord(
    name,
    JSON.stringify({
      ...progressEvent({ name, batchId, timestamp: at, numInputRows: rows }),
      ...(inputBytes === undefined
        ? {}
        : { observedMetrics: { pipeline: { input_bytes: inputBytes } } }),
    }),
  );
  if (parsed.kind !== 'ok') throw new Error(parsed.reason);
  return { queryName: parsed.queryName, batch: parsed.batch };
}

describe.each(databases.eachSupportedId())(
  'DatabaseProgressStore on %p',
  id => {
    async function createStore() {
      const knex = await databases.init(id);
      return DatabaseProgressStore.create({
        database: mockServices.database({ knex }),
      });
    }

    it('stores, deduplicates, lists and totals batches', async () => {
      const store = await createStore();
      const t0 = Date.parse('2026-11-23T10:00:00Z');
      const entries = [0, 1, 2].map(i =>
        batch('orders', i, new Date(t0 + i * 60_000), 10 + i),
      );
      expect(await store.addBatches(entries)).toBe(3);
      expect(
        await store.addBatches([entries[2], batch('clicks', 0, new Date(t0))]),
      ).toBe(1);

      const listed = await store.listBatches('orders', { limit: 2 });
      expect(listed.map(b => b.batchId)).toEqual([1, 2]);
      expect(listed[1].sources[0].endOffset).toEqual({
        'user-events': { '0': 100 },
      });
      expect(listed[1].durationMs.triggerExecution).toBe(850);

      const since = await store.listBatches('orders', {
        since: new Date(t0 + 60_000),
        limit: 10,
      });
      expect(since.map(b => b.batchId)).toEqual([1, 2]);

      const latest = await store.latestBatches(['orders', 'clicks', 'none']);
      expect(latest.get('orders')?.batchId).toBe(2);
      expect(latest.get('clicks')?.batchId).toBe(0);
      expect(latest.has('none')).toBe(false);

      const totals = await store.totals(['orders'], new Date(t0 + 1));
      expect(totals.get('orders')).toEqual({
        queryName: 'orders',
        batches: 2,
        inputRows: 23,
        inputBytes: null,
        firstAt: new Date(t0 + 60_000).toISOString(),
        lastAt: new Date(t0 + 120_000).toISOString(),
      });
    });

    it("totals a pipeline's backfills by their name prefix, the most recent first, wildcards taken literally", async () => {
      const store = await createStore();
      const t0 = Date.parse('2026-11-23T10:00:00Z');
      const at = (minutes: number) => new Date(t0 + minutes * 60_000);
      await store.addBatches([
        batch('orders_eu', 0, at(0)),
        batch('orders_eu-backfill-fix-1', 0, at(1), 5),
        batch('orders_eu-backfill-fix-1', 1, at(2), 7),
        batch('orders_eu-backfill-fix-2', 0, at(3), 4),
        // `_` and `%` of the prefix are not wildcards; case counts.
        batch('ordersXeu-backfill-fix-1', 0, at(4)),
        batch('ORDERS_EU-backfill-fix-1', 0, at(4)),
        batch('orders_eu-backfill-old', 0, at(-60)),
      ]);
      const prefix = 'orders_eu-backfill-';
      const totals = await store.totalsByPrefix(prefix, at(0), 10);
      expect(totals).toEqual([
        {
          queryName: 'orders_eu-backfill-fix-2',
          batches: 1,
          inputRows: 4,
          inputBytes: null,
          firstAt: at(3).toISOString(),
          lastAt: at(3).toISOString(),
        },
        {
          queryName: 'orders_eu-backfill-fix-1',
          batches: 2,
          inputRows: 12,
          inputBytes: null,
          firstAt: at(1).toISOString(),
          lastAt: at(2).toISOString(),
        },
      ]);
      expect(
        (await store.totalsByPrefix(prefix, at(0), 1)).map(t => t.queryName),
      ).toEqual(['orders_eu-backfill-fix-2']);
      expect(
        await store.totalsByPrefix('orders%-backfill-', at(-120), 10),
      ).toEqual([]);
    });

    it('totals the input bytes of the batches that report them', async () => {
      const store = await createStore();
      const t0 = Date.parse('2026-11-23T10:00:00Z');
      await store.addBatches([
        batch('orders', 0, new Date(t0), 10, 4_000_000_000),
        batch('orders', 1, new Date(t0 + 1000), 10),
        batch('orders', 2, new Date(t0 + 2000), 10, 1_500),
      ]);
      const totals = await store.totals(['orders'], new Date(t0));
      expect(totals.get('orders')).toMatchObject({
        batches: 3,
        inputBytes: 4_000_001_500,
      });
    });

    it('prunes by age and by count per query', async () => {
      const store = await createStore();
      const t0 = Date.parse('2026-11-20T00:00:00Z');
      await store.addBatches([
        ...Array.from({ length: 8 }, (_, i) =>
          batch('orders', i, new Date(t0 + i * 3600_000)),
        ),
        ...Array.from({ length: 3 }, (_, i) =>
          batch('clicks', i, new Date(t0 + (5 + i) * 3600_000)),
        ),
      ]);
      const deleted = await store.prune({
        olderThan: new Date(t0 + 2 * 3600_000),
        maxPerQuery: 4,
      });
      expect(deleted).toBe(4);
      const orders = await store.listBatches('orders', { limit: 100 });
      expect(orders.map(b => b.batchId)).toEqual([4, 5, 6, 7]);
      const clicks = await store.listBatches('clicks', { limit: 100 });
      expect(clicks.map(b => b.batchId)).toEqual([0, 1, 2]);
    });

    it('stores row by row when a multi-row insert fails, so one bad record never blocks the others', async () => {
      const store = await createStore();
      const t0 = Date.parse('2026-11-23T10:00:00Z');
      const good = [0, 1, 2].map(i =>
        batch('orders', i, new Date(t0 + i * 60_000)),
      );
      // Wider than the run_id column: PostgreSQL refuses it (SQLite does not check widths).
      const bad = {
        queryName: 'orders',
        batch: { ...good[1].batch, batchId: 9, runId: 'r'.repeat(65) },
      };
      const rejected: string[] = [];
      const added = await store.addBatches([good[0], bad, good[1], good[2]], {
        onRejected: (entry, error) =>
          rejected.push(`${entry.batch.batchId}: ${error.message}`),
      });
      const stored = await store.listBatches('orders', { limit: 10 });
      const outcome = {
        added,
        rejected: rejected.map(r =>
          r.replace(/^(9: ).*(value too long).*$/, '$1$2'),
        ),
        stored: stored.map(b => b.batchId),
      };
      expect(outcome).toEqual(
        id === 'POSTGRES_15'
          ? { added: 3, rejected: ['9: value too long'], stored: [0, 1, 2] }
          : { added: 4, rejected: [], stored: [0, 9, 1, 2] },
      );
    });

    it('fails as a whole, refusing no row, when the database does not answer', async () => {
      const knex = await databases.init(id);
      const store = await DatabaseProgressStore.create({
        database: mockServices.database({ knex }),
      });
      await knex.destroy();
      const rejected: number[] = [];
      await expect(
        store.addBatches(
          [batch('orders', 0, new Date()), batch('orders', 1, new Date())],
          { onRejected: entry => rejected.push(entry.batch.batchId) },
        ),
      ).rejects.toThrow();
      expect(rejected).toEqual([]);
    });
  },
);
