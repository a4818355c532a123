import { PyValue } from '../../python/pyLiteral';

/**
 * How the generated job starts its sink: a module of the shipped
 * `streaming_runtime.sinks` package and the options the spec decides, as
 * data (each becomes a Python literal of `SINK_OPTIONS`).
 */
export interface SinkCall {
  /** Module of `streaming_runtime.sinks` whose `start` the job calls. */
  module: 'delta' | 'delta_merge' | 'elasticsearch' | 'kafka';
  /** What the sink does, for the docstring of `start_query`. */
  summary: string;
  /** Keyword arguments of `start`, after the query name and settings. */
  options: Record<string, PyValue>;
}
