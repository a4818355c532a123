import { PipelineSpec } from '../pipelineSpecSchema';
import { RuleReport } from './RuleReport';

/**
 * The source's schema: a schema file or inline fields (not both) for
 * messages, an Avro schema for Avro payloads, field names Avro can carry.
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
  if (source.type === 'kafka' && typeof source.schema === 'object') {
    if (source.format !== 'avro') {
      report.error(
        'pipeline.source.schema',
        'a schema registry subject is read for Avro payloads (format: avro); JSON Schema and Protobuf subjects are not supported yet',
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
