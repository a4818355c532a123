import { PipelineSpec, outputMode } from '@internal/plugin-streaming-common';
import { SinkCall } from './SinkCall';
import { cdcDropColumns } from './cdcDropColumns';

/** Delta append or complete: Delta's streaming sink (`streaming_runtime.sinks.delta`). */
export function renderDeltaSink(spec: PipelineSpec): SinkCall {
  const { sink } = spec.pipeline;
  if (sink.type !== 'delta' || sink.mode === 'merge') {
    throw new Error('not a Delta append or complete sink');
  }
  const mode = outputMode(spec);
  return {
    module: 'delta',
    summary: `Streams into the Delta table (${mode} mode); the Delta sink commits each batch exactly once.`,
    options: {
      output_mode: mode,
      partition_by: sink.partition_by ?? [],
      merge_schema: sink.schema_evolution === 'merge',
      drop_columns: cdcDropColumns(spec),
    },
  };
}
