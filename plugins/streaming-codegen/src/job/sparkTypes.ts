import {
  PipelineField,
  PipelineFieldType,
} from '@internal/plugin-streaming-common';
import { pyStr } from '../python/pyLiteral';

const SPARK_TYPES: Record<PipelineFieldType, string> = {
  string: 'T.StringType()',
  int: 'T.IntegerType()',
  long: 'T.LongType()',
  float: 'T.FloatType()',
  double: 'T.DoubleType()',
  boolean: 'T.BooleanType()',
  timestamp: 'T.TimestampType()',
  date: 'T.DateType()',
  binary: 'T.BinaryType()',
  decimal: 'T.DecimalType(38, 18)',
};

/** PySpark code of a field type (`T` is `pyspark.sql.types`). */
export function sparkType(
  type: PipelineFieldType,
  precision?: number,
  scale?: number,
): string {
  if (type === 'decimal' && precision !== undefined) {
    return `T.DecimalType(${precision}, ${Math.min(scale ?? 0, precision)})`;
  }
  return SPARK_TYPES[type];
}

/** PySpark code of the row schema of inline fields. */
export function sparkSchema(fields: PipelineField[], indent: string): string {
  const lines = fields.map(
    f =>
      `${indent}    T.StructField(${pyStr(f.name)}, ${sparkType(
        f.type,
        f.precision,
        f.scale,
      )}, ${f.nullable === false ? 'False' : 'True'}),`,
  );
  return `T.StructType(\n${indent}  [\n${lines.join(
    '\n',
  )}\n${indent}  ]\n${indent})`;
}

const AVRO_TYPES: Record<PipelineFieldType, unknown> = {
  string: 'string',
  int: 'int',
  long: 'long',
  float: 'float',
  double: 'double',
  boolean: 'boolean',
  timestamp: { type: 'long', logicalType: 'timestamp-millis' },
  date: { type: 'int', logicalType: 'date' },
  binary: 'bytes',
  decimal: { type: 'bytes', logicalType: 'decimal', precision: 38, scale: 18 },
};

/** The Avro record schema (JSON text) of inline fields, for Avro payloads. */
export function avroSchema(name: string, fields: PipelineField[]): string {
  return JSON.stringify({
    type: 'record',
    name: name.replace(/[^A-Za-z0-9_]/g, '_'),
    fields: fields.map(f => {
      const type =
        f.type === 'decimal' && f.precision !== undefined
          ? {
              type: 'bytes',
              logicalType: 'decimal',
              precision: f.precision,
              scale: f.scale ?? 0,
            }
          : AVRO_TYPES[f.type];
      return f.nullable === false
        ? { name: f.name, type }
        : { name: f.name, type: ['null', type], default: null };
    }),
  });
}
