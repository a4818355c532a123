import { DependencyList, useEffect } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/** How often the cards fetch fresh data. */
export const REFRESH_INTERVAL_MS = 15_000;

/** The state of data that refreshes itself. */
export interface AutoRefreshState<T> {
  /** The last value; kept while a refresh is under way. */
  value?: T;
  /** True only until the first answer (or after `retry` following an error). */
  loading: boolean;
  error?: Error;
  retry: () => void;
}

/**
 * Loads data and reloads it every {@link REFRESH_INTERVAL_MS} while the
 * component is mounted; does nothing while `enabled` is false.
 */
export function useAutoRefresh<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: { enabled?: boolean; intervalMs?: number } = {},
): AutoRefreshState<T> {
  const enabled = options.enabled ?? true;
  const intervalMs = options.intervalMs ?? REFRESH_INTERVAL_MS;
  const state = useAsyncRetry(
    async () => (enabled ? load() : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [enabled, ...deps],
  );
  const { retry } = state;

  useEffect(() => {
    if (!enabled) {
      return undefined;
    }
    const timer = setInterval(retry, intervalMs);
    return () => clearInterval(timer);
  }, [enabled, intervalMs, retry]);

  return {
    value: state.value,
    loading: state.loading && state.value === undefined,
    error: state.error,
    retry,
  };
}
