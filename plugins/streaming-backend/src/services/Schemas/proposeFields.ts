import {
  PipelineFieldProposal,
  PipelineFieldType,
} from '@internal/plugin-streaming-common';

/** Fields proposed for a spec, and what could not become one. */
export interface FieldProposal {
  fields: PipelineFieldProposal[];
  skipped: string[];
}

type AvroType = string | { type?: unknown; logicalType?: unknown } | unknown[];

const AVRO_PRIMITIVES: Record<string, PipelineFieldType> = {
  string: 'string',
  int: 'int',
  long: 'long',
  float: 'float',
  double: 'double',
  boolean: 'boolean',
  bytes: 'binary',
  fixed: 'binary',
  enum: 'string',
};

const AVRO_LOGICAL: Record<string, PipelineFieldType> = {
  'timestamp-millis': 'timestamp',
  'timestamp-micros': 'timestamp',
  'local-timestamp-millis': 'timestamp',
  'local-timestamp-micros': 'timestamp',
  date: 'date',
  decimal: 'decimal',
  uuid: 'string',
};

/** The spec type of one Avro type, undefined for records, arrays and maps. */
function avroFieldType(type: AvroType): PipelineFieldType | undefined {
  if (typeof type === 'string') {
    return AVRO_PRIMITIVES[type];
  }
  if (type && typeof type === 'object' && !Array.isArray(type)) {
    if (typeof type.logicalType === 'string' && AVRO_LOGICAL[type.logicalType])
      return AVRO_LOGICAL[type.logicalType];
    return typeof type.type === 'string'
      ? AVRO_PRIMITIVES[type.type]
      : undefined;
  }
  return undefined;
}

/**
 * The top-level fields of an Avro record schema: a union with `null` is
 * nullable; nested records, arrays and maps are skipped (the spec's fields
 * are flat columns).
 */
export function fieldsFromAvro(schemaText: string): FieldProposal {
  const schema = JSON.parse(schemaText) as {
    type?: unknown;
    fields?: Array<{ name: string; type: AvroType }>;
  };
  const proposal: FieldProposal = { fields: [], skipped: [] };
  if (schema.type !== 'record' || !Array.isArray(schema.fields)) {
    proposal.skipped.push('the schema is not an Avro record');
    return proposal;
  }
  for (const { name, type } of schema.fields) {
    const branches = Array.isArray(type) ? (type as AvroType[]) : [type];
    const nonNull = branches.filter(b => b !== 'null');
    const fieldType =
      nonNull.length === 1 ? avroFieldType(nonNull[0]) : undefined;
    if (!fieldType) {
      proposal.skipped.push(name);
      continue;
    }
    proposal.fields.push({
      name,
      type: fieldType,
      nullable: nonNull.length < branches.length,
    });
  }
  return proposal;
}

/** The spec type of one JSON Schema property, undefined for objects and arrays. */
function jsonSchemaFieldType(property: {
  type?: unknown;
  format?: unknown;
  contentEncoding?: unknown;
}): { type?: PipelineFieldType; nullable: boolean } {
  const types = Array.isArray(property.type) ? property.type : [property.type];
  const nonNull = types.filter(t => t !== 'null');
  const nullable = nonNull.length < types.length;
  if (nonNull.length !== 1) {
    return { nullable };
  }
  switch (nonNull[0]) {
    case 'string':
      if (property.format === 'date-time')
        return { type: 'timestamp', nullable };
      if (property.format === 'date') return { type: 'date', nullable };
      if (property.contentEncoding === 'base64')
        return { type: 'binary', nullable };
      return { type: 'string', nullable };
    case 'integer':
      return { type: 'long', nullable };
    case 'number':
      return { type: 'double', nullable };
    case 'boolean':
      return { type: 'boolean', nullable };
    default:
      return { nullable };
  }
}

/**
 * The top-level properties of a JSON Schema object: nullable unless the
 * property is required and does not allow `null`; objects and arrays are
 * skipped.
 */
export function fieldsFromJsonSchema(schemaText: string): FieldProposal {
  const schema = JSON.parse(schemaText) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  const proposal: FieldProposal = { fields: [], skipped: [] };
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const { type, nullable } = jsonSchemaFieldType(property);
    if (!type) {
      proposal.skipped.push(name);
      continue;
    }
    proposal.fields.push({
      name,
      type,
      nullable: nullable || !required.has(name),
    });
  }
  return proposal;
}

const TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The narrowest spec type of one JSON value, undefined for objects and arrays. */
function sampleType(value: unknown): PipelineFieldType | undefined {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'long' : 'double';
    case 'string':
      if (DATE.test(value)) return 'date';
      if (TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value)))
        return 'timestamp';
      return 'string';
    default:
      return undefined;
  }
}

/** One type for values of two types: long and double widen to double; anything else mixed is a string. */
function widen(a: PipelineFieldType, b: PipelineFieldType): PipelineFieldType {
  if (a === b) return a;
  const numbers: PipelineFieldType[] = ['long', 'double'];
  if (numbers.includes(a) && numbers.includes(b)) return 'double';
  const times: PipelineFieldType[] = ['date', 'timestamp'];
  if (times.includes(a) && times.includes(b)) return 'timestamp';
  return 'string';
}

/**
 * Fields proposed from JSON messages: the top-level keys in order of first
 * appearance, each with the narrowest type every sampled value fits (a
 * string when only null was seen); a key missing from a message or null in
 * one is nullable; objects and arrays are skipped. Messages that are not
 * JSON objects are counted, not guessed from.
 */
export function fieldsFromJsonSamples(
  messages: Buffer[],
): FieldProposal & { unparsed: number } {
  const seen = new Map<
    string,
    { type?: PipelineFieldType; count: number; nulls: boolean; nested: boolean }
  >();
  let objects = 0;
  let unparsed = 0;
  for (const message of messages) {
    let value: unknown;
    try {
      value = JSON.parse(message.toString('utf8'));
    } catch {
      unparsed++;
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      unparsed++;
      continue;
    }
    objects++;
    for (const [key, v] of Object.entries(value)) {
      const entry = seen.get(key) ?? { count: 0, nulls: false, nested: false };
      entry.count++;
      if (v === null) {
        entry.nulls = true;
      } else {
        const type = sampleType(v);
        if (!type) entry.nested = true;
        else entry.type = entry.type ? widen(entry.type, type) : type;
      }
      seen.set(key, entry);
    }
  }
  const proposal = { fields: [], skipped: [], unparsed } as FieldProposal & {
    unparsed: number;
  };
  for (const [name, entry] of seen) {
    if (entry.nested) {
      proposal.skipped.push(name);
      continue;
    }
    // Only ever null: a string column until the user says otherwise.
    proposal.fields.push({
      name,
      type: entry.type ?? 'string',
      nullable: entry.nulls || entry.count < objects,
    });
  }
  return proposal;
}
