import { MicroBatch } from '@internal/plugin-streaming-common';

/**
 * Totals of a query's batches over a time range.
 *
 * @public
 */
export interface BatchTotals {
  queryName: string;
  batches: number;
  inputRows: number;
  /** Input bytes of the batches that report them (the generated job's observation); null when none does. */
  inputBytes: number | null;
  firstAt?: string;
  lastAt?: string;
}

/**
 * A micro-batch of a query, as the progress consumer stores it.
 *
 * @public
 */
export interface ProgressEntry {
  queryName: string;
  batch: MicroBatch;
}

/**
 * Options of {@link ProgressStore.addBatches}.
 *
 * @public
 */
export interface AddBatchesOptions {
  /**
   * Told of each entry the store refused (the others are stored): a stored
   * history never stops at one bad record.
   */
  onRejected?(entry: ProgressEntry, error: Error): void;
}

/**
 * The bounded history of micro-batches per query.
 *
 * @public
 */
export interface ProgressStore {
  /**
   * Adds batches; a batch already stored (same query, run and id) is ignored.
   * An entry the store refuses is reported to `onRejected` and the others are
   * still stored. Returns how many were new.
   */
  addBatches(
    entries: ProgressEntry[],
    options?: AddBatchesOptions,
  ): Promise<number>;
  /** Batches of one query, oldest first, within `[since, now]`, at most `limit` (the newest ones). */
  listBatches(
    queryName: string,
    options: { since?: Date; limit: number },
  ): Promise<MicroBatch[]>;
  /** The newest batch of each query that has one. */
  latestBatches(queryNames: string[]): Promise<Map<string, MicroBatch>>;
  /** Totals per query since a time. */
  totals(queryNames: string[], since: Date): Promise<Map<string, BatchTotals>>;
  /**
   * Totals since a time of the queries whose name starts with `prefix` (a
   * pipeline's backfills, `<query>-backfill-<id>`), the most recently active
   * first, at most `limit`.
   */
  totalsByPrefix(
    prefix: string,
    since: Date,
    limit: number,
  ): Promise<BatchTotals[]>;
  /** Times (epoch ms) of one query's batches since a time, oldest first. */
  batchTimes(queryName: string, since: Date): Promise<number[]>;
  /** Deletes batches older than `olderThan` and beyond `maxPerQuery` per query. Returns how many were deleted. */
  prune(options: { olderThan: Date; maxPerQuery: number }): Promise<number>;
}
