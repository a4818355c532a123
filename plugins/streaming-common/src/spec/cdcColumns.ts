/**
 * Columns every Debezium source carries next to the row image: the change
 * operation (`c`, `u`, `d`, `r`), the source's commit time (ms) and the
 * Kafka offset of the event (orders the changes of one key). The
 * generated job keeps them through every step and drops them when writing.
 *
 * @public
 */
export const CDC_COLUMNS = [
  '__op',
  '__source_ts_ms',
  '__kafka_offset',
] as const;
