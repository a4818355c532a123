import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Maps `items` in groups of `perTurn`: `fn` gets one group at a time and
 * returns its results, and the event loop gets a turn (other requests, I/O)
 * before the next group. Work on thousands of items whose promises resolve
 * without I/O (or with synchronous I/O, as SQLite's client does) would
 * otherwise hold the event loop until all are done; with real I/O, at most
 * one group's calls wait at a time. Results keep the order of `items`.
 */
export async function mapInTurns<T, R>(
  items: readonly T[],
  perTurn: number,
  fn: (group: T[]) => Promise<R[]>,
): Promise<R[]> {
  if (!Number.isInteger(perTurn) || perTurn < 1) {
    throw new RangeError(`perTurn must be a whole number >= 1, not ${perTurn}`);
  }
  const results: R[] = [];
  for (let start = 0; start < items.length; start += perTurn) {
    if (start > 0) await nextTurn();
    const group = items.slice(start, start + perTurn);
    const mapped = await fn(group);
    if (mapped.length !== group.length) {
      throw new Error(
        `mapInTurns: ${mapped.length} results for a group of ${group.length}`,
      );
    }
    results.push(...mapped);
  }
  return results;
}
