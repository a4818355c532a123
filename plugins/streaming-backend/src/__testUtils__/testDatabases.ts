import { TestDatabases } from '@backstage/backend-test-utils';

/**
 * SQLite and the throwaway PostgreSQL of `scripts/postgres.sh start`
 * (its default address unless the standard variable says otherwise).
 */
export function createTestDatabases(): TestDatabases {
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
    'postgresql://postgres@127.0.0.1:55432';
  return TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
}
