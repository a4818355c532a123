/**
 * The observation (Spark's `Dataset.observe`) every generated job with a Kafka
 * or Debezium source makes of its input: each progress event carries it as
 * `observedMetrics[name]`, with the micro-batch's input bytes (Kafka keys and
 * values) and the records that could not be parsed.
 *
 * @public
 */
export const PIPELINE_OBSERVATION = {
  name: 'pipeline',
  inputBytes: 'input_bytes',
  badRecords: 'bad_records',
} as const;
