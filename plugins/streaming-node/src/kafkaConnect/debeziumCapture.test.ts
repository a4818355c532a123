import { ConnectorInfo } from './KafkaConnectClient';
import { debeziumCapture } from './debeziumCapture';

const connector = (
  config: Record<string, string>,
  type: ConnectorInfo['type'] = 'source',
): ConnectorInfo => ({
  name: 'users-cdc',
  type,
  config: {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'topic.prefix': 'accounts',
    ...config,
  },
});

describe('debeziumCapture', () => {
  it('names a table for each plain or escaped entry of table.include.list, not for patterns', () => {
    expect(
      debeziumCapture(
        connector({
          'table.include.list':
            ' public.users,public\\.orders , public.audit_.*,inventory.*',
        }),
        [],
      ),
    ).toEqual({
      tables: ['public.orders', 'public.users'],
      topics: ['accounts.public.orders', 'accounts.public.users'],
    });
  });

  it('adds the tables of the topics Connect saw it write under its prefix', () => {
    expect(
      debeziumCapture(connector({ 'table.include.list': 'public.users' }), [
        'accounts.public.audit_2026',
        'accounts.public.users',
        'accounts.heartbeat',
        'other.public.users',
      ]),
    ).toEqual({
      tables: ['public.audit_2026', 'public.users'],
      topics: ['accounts.public.audit_2026', 'accounts.public.users'],
    });
  });

  it('captures nothing for a sink, another class or a connector without a prefix', () => {
    const list = { 'table.include.list': 'public.users' };
    const none = { tables: [], topics: [] };
    expect(debeziumCapture(connector(list, 'sink'), [])).toEqual(none);
    expect(
      debeziumCapture(
        connector({ ...list, 'connector.class': 'com.example.JdbcSource' }),
        ['accounts.public.users'],
      ),
    ).toEqual(none);
    expect(
      debeziumCapture(connector({ ...list, 'topic.prefix': '' }), []),
    ).toEqual(none);
  });
});
