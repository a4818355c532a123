import { parseConsumerGroups } from './parseConsumerGroups';

describe('parseConsumerGroups', () => {
  it("reads the community Kafka plugin's cluster/group list", () => {
    expect(parseConsumerGroups('prod/orders-audit, prod/billing')).toEqual([
      { cluster: 'prod', group: 'orders-audit' },
      { cluster: 'prod', group: 'billing' },
    ]);
  });

  it('keeps a slash inside the group name', () => {
    expect(parseConsumerGroups('local/team/a')).toEqual([
      { cluster: 'local', group: 'team/a' },
    ]);
  });

  it('still reads the deprecated form without a cluster', () => {
    expect(parseConsumerGroups('orders-audit,local/billing')).toEqual([
      { group: 'orders-audit' },
      { cluster: 'local', group: 'billing' },
    ]);
  });

  it('reads a missing or empty annotation as no groups', () => {
    expect(parseConsumerGroups(undefined)).toEqual([]);
    expect(parseConsumerGroups(' , ')).toEqual([]);
  });
});
