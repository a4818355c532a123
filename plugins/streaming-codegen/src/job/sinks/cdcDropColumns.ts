import { CDC_COLUMNS, PipelineSpec } from '@internal/plugin-streaming-common';

/** The columns a sink drops before writing: those a Debezium source adds. */
export function cdcDropColumns(spec: PipelineSpec): string[] {
  return spec.pipeline.source.type === 'debezium' ? [...CDC_COLUMNS] : [];
}
