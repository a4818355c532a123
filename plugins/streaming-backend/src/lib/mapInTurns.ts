import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * `Promise.all(items.map(fn))` in turns of `perTurn` items: one turn's calls
 * run together, and the event loop gets a turn (other requests, I/O) before
 * the next. Work on thousands of items whose promises resolve without I/O
 * would otherwise hold the event loop until all are done; with real I/O, at
 * most `perTurn` calls wait at a time. Results keep the order of `items`.
 */
export async function mapInTurns<T, R>(
  items: readonly T[],
  perTurn: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(perTurn) || perTurn < 1) {
    throw new RangeError(`perTurn must be a whole number >= 1, not ${perTurn}`);
  }
  const results: R[] = [];
  for (let start = 0; start < items.length; start += perTurn) {
    if (start > 0) await nextTurn();
    results.push(
      ...(await Promise.all(items.slice(start, start + perTurn).map(fn))),
    );
  }
  return results;
}
