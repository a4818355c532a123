import { PipelineSpec, outputMode } from '@internal/plugin-streaming-common';
import { SinkCall } from './SinkCall';
import { cdcDropColumns } from './cdcDropColumns';

/**
 * Delta merge (upsert; CDC with delete, soft delete or ignore) in
 * `foreachBatch` (`streaming_runtime.sinks.delta_merge`).
 */
export function renderDeltaMergeSink(spec: PipelineSpec): SinkCall {
  const { sink, source } = spec.pipeline;
  if (sink.type !== 'delta' || sink.mode !== 'merge') {
    throw new Error('not a Delta merge sink');
  }
  const cdc = source.type === 'debezium';
  const mode = outputMode(spec);
  return {
    module: 'delta_merge',
    summary: `Merges each micro-batch into the Delta table (${mode} mode).`,
    options: {
      output_mode: mode,
      merge_keys: sink.merge_keys ?? (cdc ? source.key : []),
      deletes: cdc ? source.deletes : 'ignore',
      cdc_columns: cdcDropColumns(spec),
      partition_by: sink.partition_by ?? [],
      merge_schema: sink.schema_evolution === 'merge',
    },
  };
}
