import { checkOwnerRule } from './checkOwnerRule';
import { ruleFindings } from './__testUtils__/ruleFindings';

describe('checkOwnerRule', () => {
  it('warns about a pipeline without an owner', () => {
    expect(
      ruleFindings(checkOwnerRule, p => {
        delete p.owner;
      }),
    ).toEqual({
      errors: [],
      warnings: [
        'pipeline.owner: no owner: the catalog entity will be owned by "unknown"',
      ],
    });
  });
});
