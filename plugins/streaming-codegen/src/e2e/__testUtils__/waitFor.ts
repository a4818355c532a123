/**
 * Polls `check` until it returns a value other than `undefined`, or fails after
 * `timeoutMs` with the description and the last error or state seen.
 */
export async function waitFor<T>(
  description: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; state?: () => string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason =
        lastError instanceof Error
          ? lastError.message
          : options.state?.() ?? 'no result';
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${description}: ${reason}`,
      );
    }
    await new Promise(r => setTimeout(r, options.intervalMs ?? 1000));
  }
}
