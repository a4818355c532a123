import {
  PipelineField,
  PipelineFieldType,
  PipelineSpec,
  RegistrySchemaType,
} from '@internal/plugin-streaming-common';
import { avroSchema } from '../job/sparkTypes';

const JSON_TYPES: Record<PipelineFieldType, Record<string, string>> = {
  string: { type: 'string' },
  int: { type: 'integer' },
  long: { type: 'integer' },
  float: { type: 'number' },
  double: { type: 'number' },
  boolean: { type: 'boolean' },
  timestamp: { type: 'string', format: 'date-time' },
  date: { type: 'string', format: 'date' },
  binary: { type: 'string', contentEncoding: 'base64' },
  decimal: { type: 'number' },
};

/** The JSON Schema of inline fields, for JSON payloads (nullable unless `nullable: false`). */
function jsonSchema(fields: PipelineField[]): string {
  return JSON.stringify({
    type: 'object',
    properties: Object.fromEntries(
      fields.map(f => {
        const { type, ...rest } = JSON_TYPES[f.type];
        return [
          f.name,
          { type: f.nullable === false ? type : [type, 'null'], ...rest },
        ];
      }),
    ),
    required: fields.filter(f => f.nullable === false).map(f => f.name),
  });
}

/**
 * A schema as a schema registry holds it.
 *
 * @public
 */
export interface RegistrySchema {
  schemaType: RegistrySchemaType;
  /** The schema's text (Avro or JSON Schema JSON). */
  schema: string;
}

/**
 * The schema of the records a Kafka or Debezium source reads, as the
 * registry holds it under the topic's subject: the text of the source's
 * schema file (`schemaFileText`; Avro for `.avsc`, else JSON Schema), or
 * the schema of its inline fields (the Avro record the job reads for Avro
 * payloads, nullable fields `["null", type]` with default `null`; else a
 * JSON Schema, non-nullable fields `required`). Undefined for a Delta
 * source, a source that reads a registry subject, and a schema file whose
 * text is not given.
 *
 * @public
 */
export function sourceRegistrySchema(
  spec: PipelineSpec,
  schemaFileText?: string,
): RegistrySchema | undefined {
  const { source } = spec.pipeline;
  if (source.type === 'delta' || typeof source.schema === 'object') {
    return undefined;
  }
  if (typeof source.schema === 'string') {
    if (schemaFileText === undefined) {
      return undefined;
    }
    return {
      schemaType: source.schema.endsWith('.avsc') ? 'AVRO' : 'JSON',
      schema: schemaFileText,
    };
  }
  if (!source.fields) {
    return undefined;
  }
  return source.type === 'kafka' && source.format === 'avro'
    ? {
        schemaType: 'AVRO',
        schema: avroSchema(spec.pipeline.name, source.fields),
      }
    : { schemaType: 'JSON', schema: jsonSchema(source.fields) };
}

/**
 * Why the source's schema has no place under its topic's subject, or
 * undefined when it has: a Kafka source with a schema file or inline fields.
 *
 * @public
 */
export function unregisteredSourceReason(
  spec: PipelineSpec,
): string | undefined {
  const { source } = spec.pipeline;
  if (source.type === 'delta') {
    return 'the source is a Delta table';
  }
  if (source.type === 'debezium') {
    return "the Debezium connector registers its topic's schema";
  }
  if (typeof source.schema === 'object') {
    return `the source reads subject ${source.schema.subject} of registry ${source.schema.registry}`;
  }
  return source.schema === undefined && source.fields === undefined
    ? 'the source has no schema file or fields'
    : undefined;
}
