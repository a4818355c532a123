import { PipelineSpec } from '../pipelineSpecSchema';
import { RuleReport } from './RuleReport';

/**
 * The source's schema: a schema file or inline fields (not both) for
 * messages, an Avro schema for Avro payloads, field names Avro can carry; a
 * registry subject's records in the Confluent wire format; Protobuf only
 * with a registry subject, and a message named only for Protobuf.
 */
export function checkSourceSchemaRules(spec: PipelineSpec, report: RuleReport) {
  const { source } = spec.pipeline;
  if (
    !source.fields &&
    !('schema' in source && source.schema) &&
    source.type !== 'delta'
  ) {
    report.error(
      'pipeline.source',
      'required: a schema file (schema: schemas/x.avsc) or inline fields, to decode the messages',
    );
  }
  if (
    source.type === 'kafka' &&
    source.format === 'avro' &&
    typeof source.schema === 'string' &&
    source.schema.endsWith('.json')
  ) {
    report.error(
      'pipeline.source.schema',
      'Avro payloads need an Avro schema (.avsc) or inline fields, not a JSON Schema',
    );
  }
  if (
    source.type === 'kafka' &&
    source.format === 'protobuf' &&
    typeof source.schema !== 'object'
  ) {
    report.error(
      'pipeline.source.schema',
      'Protobuf payloads are read with a schema registry subject of type PROTOBUF ({ registry, subject, version }); a schema file or inline fields cannot decode them',
    );
  }
  if (source.type === 'kafka' && typeof source.schema === 'object') {
    if (source.format !== 'protobuf' && source.schema.message !== undefined) {
      report.error(
        'pipeline.source.schema.message',
        'names a Protobuf message: it is for Protobuf payloads (format: protobuf); leave it out',
      );
    }
    if (source.format !== 'avro' && source.avro_wire_format !== undefined) {
      report.error(
        'pipeline.source.avro_wire_format',
        `is for Avro payloads: ${
          source.format === 'json' ? 'JSON' : 'Protobuf'
        } records read with a schema registry subject are in the Confluent wire format (magic byte, schema id, ${
          source.format === 'json' ? 'JSON text' : 'message indexes, message'
        }); leave it out`,
      );
    } else if (source.avro_wire_format === 'plain') {
      report.error(
        'pipeline.source.avro_wire_format',
        'records read with a schema registry subject are in the Confluent wire format: leave it out or say confluent',
      );
    }
  }
  if (source.type === 'kafka' && source.format === 'avro') {
    source.fields?.forEach((f, i) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name)) {
        report.error(
          `pipeline.source.fields[${i}].name`,
          'Avro field names are letters, digits and "_", not starting with a digit',
        );
      }
    });
  }
  if ('schema' in source && source.schema && source.fields) {
    report.error(
      'pipeline.source.fields',
      'give either a schema file or inline fields, not both',
    );
  }
}
