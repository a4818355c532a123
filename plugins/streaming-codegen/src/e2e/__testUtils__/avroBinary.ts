/**
 * An Avro schema as JSON, in the part the end-to-end tests write: records, primitives,
 * unions and the logical types `timestamp-millis` and `date`.
 */
export type AvroSchema =
  | string
  | AvroSchema[]
  | {
      type: string | AvroSchema[];
      name?: string;
      namespace?: string;
      fields?: { name: string; type: AvroSchema; default?: unknown }[];
      logicalType?: string;
    };

/** Avro's zig-zag varint of a long (int and long are written alike). */
function varint(n: number | bigint): Buffer {
  const big = BigInt(n);
  let z = big >= 0n ? big * 2n : -big * 2n - 1n;
  const out: number[] = [];
  while (z >= 0x80n) {
    out.push(Number((z & 0x7fn) | 0x80n));
    z >>= 7n;
  }
  out.push(Number(z));
  return Buffer.from(out);
}

function withLength(bytes: Buffer): Buffer {
  return Buffer.concat([varint(bytes.length), bytes]);
}

/** Whether `value` can be written with the (non-union) `schema`: picks a union's branch. */
function fits(schema: AvroSchema, value: unknown): boolean {
  const type =
    typeof schema === 'object' && !Array.isArray(schema) ? schema.type : schema;
  if (type === 'null') return value === null || value === undefined;
  return value !== null && value !== undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The Avro binary encoding of `value` written with `schema`, made here from the Avro
 * specification, independently of the decoders under test. Records are objects (a missing
 * field is null); a union takes its first branch that fits (null for null or a missing
 * value, else the first other); `timestamp-millis` takes an ISO-8601 text or epoch
 * milliseconds, `date` a `YYYY-MM-DD` text.
 */
export function avroBinary(schema: AvroSchema, value: unknown): Buffer {
  if (Array.isArray(schema)) {
    const branch = schema.findIndex(s => fits(s, value));
    if (branch < 0)
      throw new Error(`no branch of ${JSON.stringify(schema)} fits ${value}`);
    return Buffer.concat([varint(branch), avroBinary(schema[branch], value)]);
  }
  if (typeof schema === 'object') {
    if (schema.type === 'record') {
      const record = value as Record<string, unknown>;
      return Buffer.concat(
        (schema.fields ?? []).map(f => avroBinary(f.type, record[f.name])),
      );
    }
    if (schema.logicalType === 'timestamp-millis')
      return varint(
        typeof value === 'string' ? Date.parse(value) : (value as number),
      );
    if (schema.logicalType === 'date')
      return varint(Date.parse(`${value}T00:00:00Z`) / DAY_MS);
    return avroBinary(schema.type, value);
  }
  switch (schema) {
    case 'null':
      return Buffer.alloc(0);
    case 'boolean':
      return Buffer.from([value ? 1 : 0]);
    case 'int':
    case 'long':
      return varint(value as number | bigint);
    case 'float': {
      const out = Buffer.alloc(4);
      out.writeFloatLE(value as number);
      return out;
    }
    case 'double': {
      const out = Buffer.alloc(8);
      out.writeDoubleLE(value as number);
      return out;
    }
    case 'string':
      return withLength(Buffer.from(value as string, 'utf8'));
    case 'bytes':
      return withLength(value as Buffer);
    default:
      throw new Error(`the tests' Avro encoder does not write ${schema}`);
  }
}

/**
 * A value as a Confluent serializer writes it: magic byte 0, the schema id (4 bytes, big
 * endian), then the Avro body.
 */
export function confluentFramed(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}
