import { checkCdcColumnRules } from './checkCdcColumnRules';
import { ruleFindings } from './__testUtils__/ruleFindings';

describe('checkCdcColumnRules', () => {
  it('refuses a rename onto a column the change events carry', () => {
    const result = ruleFindings(checkCdcColumnRules, p => {
      delete p.source.schema;
      p.source = {
        type: 'debezium',
        topic: 'db.public.users',
        key: ['id'],
        fields: [{ name: 'id', type: 'long' }],
      };
      p.transformations = [{ type: 'rename', columns: { id: '__op' } }];
    });
    expect(result.errors).toEqual([
      'pipeline.transformations[0].columns.id: "__op" is a column the change events carry (__op, __source_ts_ms, __kafka_offset); the job orders and applies changes by it, so no column may take its name',
    ]);
  });
});
