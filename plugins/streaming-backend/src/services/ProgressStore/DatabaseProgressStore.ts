import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { MicroBatch } from '@internal/plugin-streaming-common';
import { Knex } from 'knex';
import {
  AddBatchesOptions,
  BatchTotals,
  ProgressEntry,
  ProgressStore,
} from './ProgressStore';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-streaming-backend',
  'migrations',
);

/** Rows per insert statement: under SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 100;

interface BatchRow {
  id: number | string;
  query_name: string;
  batch_time: number | string;
  payload: string;
}

/**
 * {@link ProgressStore} in the plugin's database (SQLite or PostgreSQL).
 *
 * @public
 */
export class DatabaseProgressStore implements ProgressStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseProgressStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseProgressStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /** The knex client, shared with the alert state store. */
  get client(): Knex {
    return this.db;
  }

  async addBatches(
    entries: ProgressEntry[],
    options: AddBatchesOptions = {},
  ): Promise<number> {
    let added = 0;
    for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
      const chunk = entries.slice(i, i + INSERT_CHUNK);
      try {
        added += await this.insert(chunk);
      } catch (chunkError) {
        await this.assertReachable(chunkError);
        // One row broke the statement: store the others one by one.
        for (const entry of chunk) {
          try {
            added += await this.insert([entry]);
          } catch (error) {
            await this.assertReachable(error);
            options.onRejected?.(entry, error as Error);
          }
        }
      }
    }
    return added;
  }

  /**
   * Throws `error` when the database does not answer at all: then no row is
   * refused, the whole call fails and the caller reads the records again.
   */
  private async assertReachable(error: unknown): Promise<void> {
    try {
      await this.db.raw('select 1');
    } catch {
      throw error;
    }
  }

  private async insert(entries: ProgressEntry[]): Promise<number> {
    const rows = entries.map(e => ({
      query_name: e.queryName,
      run_id: e.batch.runId ?? '',
      batch_id: e.batch.batchId,
      batch_time: Date.parse(e.batch.timestamp),
      num_input_rows: e.batch.numInputRows,
      input_bytes: e.batch.inputBytes ?? null,
      payload: JSON.stringify(e.batch),
    }));
    const inserted = await this.db('micro_batches')
      .insert(rows)
      .onConflict(['query_name', 'run_id', 'batch_id'])
      .ignore()
      .returning('id');
    return inserted.length;
  }

  async listBatches(
    queryName: string,
    options: { since?: Date; limit: number },
  ): Promise<MicroBatch[]> {
    let query = this.db<BatchRow>('micro_batches')
      .where('query_name', queryName)
      .select('payload')
      .orderBy([
        { column: 'batch_time', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    if (options.since) {
      query = query.where('batch_time', '>=', options.since.getTime());
    }
    const rows = await query;
    return rows.reverse().map(row => JSON.parse(row.payload) as MicroBatch);
  }

  async latestBatches(queryNames: string[]): Promise<Map<string, MicroBatch>> {
    const result = new Map<string, MicroBatch>();
    if (queryNames.length === 0) {
      return result;
    }
    const newest = this.db('micro_batches')
      .whereIn('query_name', queryNames)
      .groupBy('query_name')
      .select('query_name')
      .max({ max_time: 'batch_time' });
    const rows: BatchRow[] = await this.db('micro_batches as b')
      .join(newest.as('n'), join =>
        join
          .on('b.query_name', '=', 'n.query_name')
          .andOn('b.batch_time', '=', 'n.max_time'),
      )
      .select('b.id', 'b.query_name', 'b.batch_time', 'b.payload')
      .orderBy('b.id', 'asc');
    for (const row of rows) {
      result.set(row.query_name, JSON.parse(row.payload) as MicroBatch);
    }
    return result;
  }

  async totals(
    queryNames: string[],
    since: Date,
  ): Promise<Map<string, BatchTotals>> {
    const result = new Map<string, BatchTotals>();
    if (queryNames.length === 0) {
      return result;
    }
    const rows = await this.#totalsRows(since, query =>
      query.whereIn('query_name', queryNames),
    );
    for (const row of rows) result.set(row.query_name, toTotals(row));
    return result;
  }

  async totalsByPrefix(
    prefix: string,
    since: Date,
    limit: number,
  ): Promise<BatchTotals[]> {
    // LIKE (its wildcards escaped) can use the index; SQLite's LIKE ignores
    // case, so the prefix is compared exactly as well.
    const pattern = `${prefix.replace(/[!%_]/g, c => `!${c}`)}%`;
    const rows = await this.#totalsRows(since, query =>
      query
        .whereRaw(`?? like ? escape '!'`, ['query_name', pattern])
        .whereRaw('substr(??, 1, ?) = ?', ['query_name', prefix.length, prefix])
        .orderBy('last_at', 'desc')
        .limit(limit),
    );
    return rows.map(toTotals);
  }

  /** Totals per query of the batches since a time, of the queries `narrow` picks. */
  async #totalsRows(
    since: Date,
    narrow: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
  ): Promise<TotalsRow[]> {
    return narrow(this.db('micro_batches'))
      .where('batch_time', '>=', since.getTime())
      .groupBy('query_name')
      .select('query_name')
      .count({ batches: '*' })
      .sum({ input_rows: 'num_input_rows', input_bytes: 'input_bytes' })
      .count({ measured_batches: 'input_bytes' })
      .min({ first_at: 'batch_time' })
      .max({ last_at: 'batch_time' });
  }

  async batchTimes(queryName: string, since: Date): Promise<number[]> {
    const rows: Array<{ batch_time: number | string }> = await this.db(
      'micro_batches',
    )
      .where('query_name', queryName)
      .where('batch_time', '>=', since.getTime())
      .orderBy('batch_time', 'asc')
      .select('batch_time');
    return rows.map(r => Number(r.batch_time));
  }

  async prune(options: {
    olderThan: Date;
    maxPerQuery: number;
  }): Promise<number> {
    let deleted = await this.db('micro_batches')
      .where('batch_time', '<', options.olderThan.getTime())
      .delete();
    const crowded: Array<{ query_name: string }> = await this.db(
      'micro_batches',
    )
      .groupBy('query_name')
      .having(this.db.raw('count(*) > ?', [options.maxPerQuery]))
      .select('query_name');
    for (const { query_name } of crowded) {
      const cutoff: BatchRow | undefined = await this.db<BatchRow>(
        'micro_batches',
      )
        .where('query_name', query_name)
        .orderBy([
          { column: 'batch_time', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .offset(options.maxPerQuery - 1)
        .first('id', 'batch_time');
      if (cutoff) {
        deleted += await this.db('micro_batches')
          .where('query_name', query_name)
          .andWhere(q =>
            q
              .where('batch_time', '<', cutoff.batch_time)
              .orWhere(q2 =>
                q2
                  .where('batch_time', '=', cutoff.batch_time)
                  .andWhere('id', '<', cutoff.id),
              ),
          )
          .delete();
      }
    }
    return deleted;
  }
}

/** A row of the totals query. */
interface TotalsRow {
  query_name: string;
  batches: number | string;
  input_rows: number | string | null;
  input_bytes: number | string | null;
  measured_batches: number | string;
  first_at: number | string;
  last_at: number | string;
}

function toTotals(row: TotalsRow): BatchTotals {
  return {
    queryName: row.query_name,
    batches: Number(row.batches),
    inputRows: Number(row.input_rows ?? 0),
    inputBytes:
      Number(row.measured_batches) > 0 ? Number(row.input_bytes) : null,
    firstAt: new Date(Number(row.first_at)).toISOString(),
    lastAt: new Date(Number(row.last_at)).toISOString(),
  };
}
