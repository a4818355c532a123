import { PipelineSpec } from '@internal/plugin-streaming-common';
import { SinkCall } from './SinkCall';
import { cdcDropColumns } from './cdcDropColumns';

/**
 * Elasticsearch or OpenSearch through the bulk API in `foreachBatch`
 * (`streaming_runtime.sinks.elasticsearch`).
 */
export function renderElasticsearchSink(spec: PipelineSpec): SinkCall {
  const { sink } = spec.pipeline;
  if (sink.type !== 'elasticsearch') {
    throw new Error('not an Elasticsearch sink');
  }
  return {
    module: 'elasticsearch',
    summary: 'Streams into the Elasticsearch index.',
    options: {
      id_column: sink.id_column ?? null,
      write_operation:
        sink.write_operation ?? (sink.id_column ? 'index' : 'create'),
      drop_columns: cdcDropColumns(spec),
    },
  };
}
