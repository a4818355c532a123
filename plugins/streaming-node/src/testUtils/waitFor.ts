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
 * Polls `probe` until its value is accepted: by `until` when given, else any
 * value other than `undefined`. A probe that throws counts as not yet. On
 * timeout it fails with the description and the last error, else `state()`,
 * else the last value.
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
