import { PipelineSpec, outputMode } from '@internal/plugin-streaming-common';
import { SinkCall } from './SinkCall';
import { cdcDropColumns } from './cdcDropColumns';

/** A Kafka topic, rows as JSON values (`streaming_runtime.sinks.kafka`). */
export function renderKafkaSink(spec: PipelineSpec): SinkCall {
  const { sink } = spec.pipeline;
  if (sink.type !== 'kafka') {
    throw new Error('not a Kafka sink');
  }
  return {
    module: 'kafka',
    summary: 'Streams into the Kafka topic as JSON values.',
    options: {
      output_mode: outputMode(spec),
      key_column: sink.key_column ?? null,
      drop_columns: cdcDropColumns(spec),
    },
  };
}
