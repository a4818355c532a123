/**
 * The observation (Spark's `Dataset.observe`) every generated job with a Kafka
 * or Debezium source makes of its input: each progress event carries it as
 * `observedMetrics[name]`, with the micro-batch's input bytes (Kafka keys and
 * values), the records that could not be parsed, and of those the ones sent
 * to the pipeline's dead-letter target (`pipeline.dead_letter`; 0 without one:
 * then they flow on as rows of nulls).
 *
 * @public
 */
export const PIPELINE_OBSERVATION = {
  name: 'pipeline',
  inputBytes: 'input_bytes',
  badRecords: 'bad_records',
  deadLetterRecords: 'dead_letter_records',
} as const;
