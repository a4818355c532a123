/**
 * How {@link waitFor} polls.
 *
 * @public
 */
export interface WaitForOptions {
  /** Default 60 000. */
  timeoutMs?: number;
  /** Between two probes; default 250. */
  intervalMs?: number;
  /** What to say on timeout when the last probe did not fail (default: the last value). */
  state?: () => string;
}

/**
 * Thrown by a probe of {@link waitFor} to end the wait at once, when what it
 * waits for can no longer happen (the job exited, a task failed).
 *
 * @public
 */
export class StopWaiting extends Error {
  name = 'StopWaiting';
}

/**
 * Polls `probe` until its value is accepted: by `until` when given, else any
 * value other than `undefined`. A probe that throws counts as not yet, unless
 * it throws {@link StopWaiting}: then the wait fails at once with its
 * message. On timeout it fails with the description and the last error,
 * else `state()`, else the last value.
 *
 * @public
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T>,
  options: WaitForOptions & { until: (value: T) => boolean },
): Promise<T>;
/** @public */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined>,
  options?: WaitForOptions,
): Promise<T>;
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined>,
  options: WaitForOptions & { until?: (value: T) => boolean } = {},
): Promise<T> {
  const { timeoutMs = 60_000, intervalMs = 250 } = options;
  const accepted = (value: T | undefined): value is T =>
    options.until ? options.until(value as T) : value !== undefined;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let last: T | undefined;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (accepted(last)) return last;
    } catch (error) {
      if (error instanceof StopWaiting) {
        throw new Error(`gave up waiting for ${description}: ${error.message}`);
      }
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason =
        lastError instanceof Error
          ? lastError.message
          : options.state?.() ??
            (last === undefined ? 'no result' : JSON.stringify(last));
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${description}: ${reason}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}
