/**
 * The topic every generated job publishes its progress events to unless the
 * platform names another; no pipeline may write it.
 *
 * @public
 */
export const DEFAULT_PROGRESS_TOPIC = 'streaming.progress';
