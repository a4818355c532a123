import { PipelineSpec } from '@internal/plugin-streaming-common';
import { pyStr, pyValue } from '../python/pyLiteral';
import { avroSchema, sparkSchema } from './sparkTypes';

/**
 * The source part of the generated job: its schema constant and
 * `read_source(spark)`; for Kafka sources also `decode_records(records)`,
 * the step from Kafka records to rows that the pipeline's tests run on
 * batch DataFrames. Every value is a literal; the reading is done by the
 * shipped `streaming_runtime.sources`.
 */
export function renderSource(spec: PipelineSpec): string[] {
  const { source } = spec.pipeline;
  if (source.type === 'delta') {
    return [
      'def read_source(spark):',
      '    """The source stream: the Delta table."""',
      '    return sources.read_delta(',
      '        spark,',
      '        SETTINGS,',
      `        skip_change_commits=${pyValue(
        source.skip_change_commits ?? false,
      )},`,
      `        columns=${pyValue(source.fields?.map(f => f.name) ?? null)},`,
      '    )',
    ];
  }
  const lines: string[] = [];
  const avro = source.type === 'kafka' && source.format === 'avro';
  const protobuf = source.type === 'kafka' && source.format === 'protobuf';
  const subject =
    source.type === 'kafka' && typeof source.schema === 'object'
      ? source.schema.subject
      : undefined;
  const registry = subject !== undefined;
  // With a registry subject the records are Confluent-framed: Avro is read
  // with its writer schema, the schema id of JSON and Protobuf is checked
  // against the subject.
  const registryOption =
    subject !== undefined
      ? `registry=registry.from_settings(SETTINGS, subject=${pyStr(subject)})`
      : undefined;
  const decodeOptions = registryOption
    ? `wire_format="confluent", ${registryOption}`
    : `wire_format=${pyValue(
        source.type === 'kafka' ? source.avro_wire_format ?? null : null,
      )}`;
  const jsonOptions = registryOption ? `, ${registryOption}` : '';
  const deadLetter = spec.pipeline.dead_letter !== undefined;
  const leftOut = deadLetter ? ', dead_letter=True' : '';
  if (avro) {
    let origin = 'the schema file named in the spec';
    if (source.fields) {
      origin = 'the fields of the spec';
    } else if (registry) {
      origin = "its subject's version in the spec, kept in the repository";
    }
    lines.push(
      `# The Avro schema of the records, from ${origin}.`,
      `AVRO_SCHEMA = ${
        source.fields
          ? pyStr(avroSchema(spec.pipeline.name, source.fields))
          : 'schemas.read_schema_file(SETTINGS["schema_file"], REPOSITORY_DIR)'
      }`,
    );
  } else if (protobuf && typeof source.schema === 'object') {
    lines.push(
      "# The message of the records, from its subject's version in the spec (a .proto), kept in the repository.",
      `PROTOBUF_SCHEMA = protobuf.load_protobuf_schema(SETTINGS["schema_file"], REPOSITORY_DIR, message=${pyValue(
        source.schema.message ?? null,
      )})`,
    );
  } else if (typeof source.schema === 'string') {
    lines.push(
      '# The row schema, from the schema file named in the spec.',
      `ROW_SCHEMA = schemas.${
        source.schema.endsWith('.avsc')
          ? 'load_avro_schema'
          : 'load_json_schema'
      }(SETTINGS["schema_file"], REPOSITORY_DIR)`,
    );
  } else if (registry) {
    lines.push(
      "# The row schema, from its subject's version in the spec (a JSON Schema), kept in the repository.",
      'ROW_SCHEMA = schemas.load_json_schema(SETTINGS["schema_file"], REPOSITORY_DIR)',
    );
  } else {
    lines.push(
      '# The row schema, from the fields of the spec.',
      `ROW_SCHEMA = ${sparkSchema(source.fields ?? [], '')}`,
    );
  }
  lines.push('', '');
  if (avro) {
    lines.push(
      'def decode_records(records):',
      '    """Kafka records to rows: Avro records decoded to columns."""',
      `    return sources.decode_avro(records, AVRO_SCHEMA, ${decodeOptions}${leftOut})`,
    );
  } else if (protobuf) {
    lines.push(
      'def decode_records(records):',
      '    """Kafka records to rows: Protobuf messages (after the Confluent header and message indexes) decoded to columns."""',
      `    return sources.decode_protobuf(records, PROTOBUF_SCHEMA${jsonOptions}${leftOut})`,
    );
  } else if (source.type === 'kafka') {
    lines.push(
      'def decode_records(records):',
      `    """Kafka records to rows: JSON${
        registry ? ' (after the Confluent header)' : ''
      } parsed with the row schema."""`,
      `    return sources.decode_json(records, ROW_SCHEMA${jsonOptions}${leftOut})`,
    );
  } else {
    lines.push(
      'def decode_records(records):',
      '    """Kafka records to rows: Debezium change events, plus __op, __source_ts_ms and __kafka_offset."""',
      `    return sources.decode_debezium(records, ROW_SCHEMA, ignore_deletes=${pyValue(
        source.deletes === 'ignore',
      )}${leftOut})`,
    );
  }
  if (deadLetter) {
    let deadLetters = `json(records, ROW_SCHEMA${jsonOptions})`;
    if (avro) {
      deadLetters = `avro(records, AVRO_SCHEMA, ${decodeOptions})`;
    } else if (protobuf) {
      deadLetters = `protobuf(records, PROTOBUF_SCHEMA${jsonOptions})`;
    } else if (source.type === 'debezium') {
      deadLetters = `debezium(records, ROW_SCHEMA, ignore_deletes=${pyValue(
        source.deletes === 'ignore',
      )})`;
    }
    lines.push(
      '',
      '',
      'def dead_letter_records(records):',
      '    """The Kafka records decode_records cannot parse, as read, with the error."""',
      `    return sources.dead_letters_${deadLetters}`,
    );
  }
  lines.push(
    '',
    '',
    'def read_source(spark):',
    '    """The source stream: the records of the source topic, decoded."""',
    '    return decode_records(sources.read_kafka(spark, PIPELINE_NAME, SETTINGS))',
  );
  return lines;
}
