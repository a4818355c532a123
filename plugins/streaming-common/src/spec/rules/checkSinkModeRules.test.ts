import { checkSinkModeRules } from './checkSinkModeRules';
import { ruleFindings } from './__testUtils__/ruleFindings';

const findings = (edit: (p: any) => void) =>
  ruleFindings(checkSinkModeRules, edit);

describe('checkSinkModeRules', () => {
  it('passes the reference spec', () => {
    expect(findings(() => {})).toEqual({ errors: [], warnings: [] });
  });

  it.each([
    [
      'complete mode without an aggregate',
      (p: any) => {
        p.transformations = [];
        p.sink.mode = 'complete';
      },
      'pipeline.sink.mode: complete mode needs an aggregate step: it rewrites the whole result table each batch',
    ],
    [
      'merge without keys',
      (p: any) => {
        p.sink.mode = 'merge';
      },
      'pipeline.sink.merge_keys: required: merge mode needs the key columns to match rows on',
    ],
  ])('refuses %s', (_, edit, message) => {
    expect(findings(edit).errors).toContain(message);
  });
});
