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
      tables: [
        { table: 'public.orders', topic: 'accounts.public.orders' },
        { table: 'public.users', topic: 'accounts.public.users' },
      ],
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
      tables: [
        { table: 'public.audit_2026', topic: 'accounts.public.audit_2026' },
        { table: 'public.users', topic: 'accounts.public.users' },
      ],
      topics: ['accounts.public.audit_2026', 'accounts.public.users'],
    });
  });

  it('names the database of a PostgreSQL connector (database.dbname)', () => {
    expect(
      debeziumCapture(
        connector({
          'database.dbname': 'app',
          'table.include.list': 'public.users',
        }),
        [],
      ).tables,
    ).toEqual([
      {
        database: 'app',
        table: 'public.users',
        topic: 'accounts.public.users',
      },
    ]);
  });

  it('reads MySQL and MariaDB names as database.table', () => {
    for (const connectorClass of [
      'io.debezium.connector.mysql.MySqlConnector',
      'io.debezium.connector.mariadb.MariaDbConnector',
    ]) {
      expect(
        debeziumCapture(
          connector({
            'connector.class': connectorClass,
            'database.include.list': 'inventory,billing',
            'table.include.list': 'inventory.customers',
          }),
          ['accounts.billing.invoices', 'accounts.inventory.customers'],
        ),
      ).toEqual({
        tables: [
          {
            database: 'billing',
            table: 'invoices',
            topic: 'accounts.billing.invoices',
          },
          {
            database: 'inventory',
            table: 'customers',
            topic: 'accounts.inventory.customers',
          },
        ],
        topics: ['accounts.billing.invoices', 'accounts.inventory.customers'],
      });
    }
  });

  it('puts the database in a SQL Server topic: prefix.database.schema.table for each of database.names', () => {
    expect(
      debeziumCapture(
        connector({
          'connector.class':
            'io.debezium.connector.sqlserver.SqlServerConnector',
          'database.names': 'sales, hr',
          'table.include.list': 'dbo.orders',
        }),
        ['accounts.hr.dbo.staff', 'accounts.dbo.orders'],
      ),
    ).toEqual({
      tables: [
        {
          database: 'hr',
          table: 'dbo.orders',
          topic: 'accounts.hr.dbo.orders',
        },
        { database: 'hr', table: 'dbo.staff', topic: 'accounts.hr.dbo.staff' },
        {
          database: 'sales',
          table: 'dbo.orders',
          topic: 'accounts.sales.dbo.orders',
        },
      ],
      topics: [
        'accounts.hr.dbo.orders',
        'accounts.hr.dbo.staff',
        'accounts.sales.dbo.orders',
      ],
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
