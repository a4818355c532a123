/**
 * The metrics the streaming backend exports in Prometheus format, by the
 * names Prometheus sees, and which the generated alerts and dashboards are
 * written against. Every pipeline series has the label `pipeline` (the
 * spec's name); `health` adds `health`, `info` adds `namespace`, `owner` and
 * `system`; the skipped-records counter has `reason`. One series per
 * pipeline of the catalog, so cardinality is bounded by the catalog.
 *
 * @public
 */
export const PIPELINE_METRICS = {
  lagMessages: 'streaming_pipeline_lag_messages',
  lagSeconds: 'streaming_pipeline_lag_seconds',
  lastBatchTimestamp: 'streaming_pipeline_last_batch_timestamp_seconds',
  inputRowsPerSecond: 'streaming_pipeline_input_rows_per_second',
  batchDurationSeconds: 'streaming_pipeline_batch_duration_seconds',
  lastBatchInputBytes: 'streaming_pipeline_last_batch_input_bytes',
  lastBatchBadRecords: 'streaming_pipeline_last_batch_bad_records',
  lastBatchDeadLetterRecords:
    'streaming_pipeline_last_batch_dead_letter_records',
  health: 'streaming_pipeline_health',
  costPerHour: 'streaming_pipeline_cost_per_hour',
  info: 'streaming_pipeline_info',
  skippedProgressRecords: 'streaming_progress_records_skipped_total',
} as const;
