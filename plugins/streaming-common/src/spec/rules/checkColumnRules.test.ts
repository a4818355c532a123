import { checkColumnRules } from './checkColumnRules';
import { ruleFindings } from './__testUtils__/ruleFindings';

describe('checkColumnRules', () => {
  it('refuses an unknown column with inline fields, suggesting the near one', () => {
    const result = ruleFindings(checkColumnRules, p => {
      delete p.source.schema;
      p.source.fields = [
        { name: 'event_type', type: 'string' },
        { name: 'country', type: 'string' },
        { name: 'amount', type: 'double' },
        { name: 'user_id', type: 'string' },
        { name: 'timestamp', type: 'timestamp' },
      ];
      p.transformations[2].group_by = ['event_type', 'contry'];
    });
    expect(result.errors).toContain(
      'pipeline.transformations[2].group_by[1]: unknown column "contry"; did you mean "country"?',
    );
  });

  it('checks the sink columns against the schema file fields it is given', () => {
    const result = ruleFindings(
      checkColumnRules,
      p => {
        p.sink.partition_by = ['event_typ'];
      },
      {
        schemaFields: [
          'event_type',
          'country',
          'amount',
          'user_id',
          'timestamp',
        ],
      },
    );
    expect(result.errors).toEqual([
      'pipeline.sink.partition_by[0]: unknown column "event_typ" in the pipeline\'s output; did you mean "event_type"?',
    ]);
  });
});
