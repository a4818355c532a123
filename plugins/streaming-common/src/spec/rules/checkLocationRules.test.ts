import { checkLocationRules } from './checkLocationRules';
import { ruleFindings } from './__testUtils__/ruleFindings';

const findings = (edit: (p: any) => void) =>
  ruleFindings(checkLocationRules, edit);

describe('checkLocationRules', () => {
  it('refuses a checkpoint inside the table', () => {
    expect(
      findings(p => {
        p.sink.checkpoint = `${p.sink.path}/_checkpoint`;
      }).errors,
    ).toContain(
      'pipeline.sink.checkpoint: the checkpoint must not be inside the Delta table location',
    );
  });

  it.each([
    ['s3://lake/t', 's3a://lake/t/_checkpoint'],
    ['s3a://lake/t/', 's3://lake//t/ck'],
    ['abfs://c@acct/t', 'abfss://c@acct/t/ck'],
    ['/data/t', 'file:///data/t/ck'],
  ])(
    'finds the checkpoint %s inside the table %s whatever the scheme alias',
    (path, checkpoint) => {
      const result = findings(p => {
        p.sink.path = path;
        p.sink.checkpoint = checkpoint;
      });
      expect(result.errors).toEqual([
        'pipeline.sink.checkpoint: the checkpoint must not be inside the Delta table location',
      ]);
    },
  );

  it('keeps apart tables in other buckets and sibling folders', () => {
    for (const [path, checkpoint] of [
      ['s3a://lake/t', 's3a://lake2/t/ck'],
      ['/data/t', '/data/t2/ck'],
    ]) {
      const result = findings(p => {
        p.sink.path = path;
        p.sink.checkpoint = checkpoint;
      });
      expect(result.errors).toEqual([]);
    }
  });
});
