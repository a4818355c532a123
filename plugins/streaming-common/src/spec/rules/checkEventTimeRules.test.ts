import { checkEventTimeRules } from './checkEventTimeRules';
import { ruleFindings } from './__testUtils__/ruleFindings';

const findings = (edit: (p: any) => void) =>
  ruleFindings(checkEventTimeRules, edit);

describe('checkEventTimeRules', () => {
  it('passes the reference spec', () => {
    expect(findings(() => {})).toEqual({ errors: [], warnings: [] });
  });

  it.each([
    [
      'an aggregate in append mode without a watermark',
      (p: any) => p.transformations.splice(1, 1),
      'pipeline.transformations[1]: an aggregate in append mode needs a watermark on its event-time column: add a "watermark" step before it',
    ],
    [
      'a window over another column than the watermark',
      (p: any) => {
        p.transformations[2].time_column = 'other';
      },
      'pipeline.transformations[2].time_column: the window is over "other" but the watermark is on "timestamp"; in append mode they must be the same column',
    ],
  ])('refuses %s', (_, edit, message) => {
    expect(findings(edit).errors).toContain(message);
  });

  it('warns about an aggregate without watermark outside append mode', () => {
    const result = findings(p => {
      p.transformations.splice(1, 1);
      p.transformations[1].window = undefined;
      p.sink.mode = 'complete';
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map(w => w.split(':')[0])).toContain(
      'pipeline.transformations[1]',
    );
  });
});
