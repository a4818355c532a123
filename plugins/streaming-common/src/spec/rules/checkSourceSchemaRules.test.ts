import { checkSourceSchemaRules } from './checkSourceSchemaRules';
import { ruleFindings } from './__testUtils__/ruleFindings';

const findings = (edit: (p: any) => void) =>
  ruleFindings(checkSourceSchemaRules, edit);

describe('checkSourceSchemaRules', () => {
  it.each([
    [
      'a field name Avro cannot carry',
      (p: any) => {
        delete p.source.schema;
        p.source.format = 'avro';
        p.source.fields = [{ name: '@timestamp', type: 'timestamp' }];
        p.transformations = [];
      },
      'pipeline.source.fields[0].name: Avro field names are letters, digits and "_", not starting with a digit',
    ],
    [
      'a JSON Schema for Avro payloads',
      (p: any) => {
        p.source.schema = 'schemas/x.json';
        p.source.format = 'avro';
      },
      'pipeline.source.schema: Avro payloads need an Avro schema (.avsc) or inline fields, not a JSON Schema',
    ],
    [
      'a schema file and inline fields together',
      (p: any) => {
        p.source.fields = [{ name: 'a', type: 'string' }];
      },
      'pipeline.source.fields: give either a schema file or inline fields, not both',
    ],
  ])('refuses %s', (_, edit, message) => {
    expect(findings(edit).errors).toContain(message);
  });
});
