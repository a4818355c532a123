import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { runRepoScript } from './runRepoScript';
import { waitFor } from './waitFor';

/** Debian's newest PostgreSQL client (the server's package brings it). */
function psqlPath(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort(
    (a, b) => Number(a) - Number(b),
  );
  return `/usr/lib/postgresql/${versions[versions.length - 1]}/bin/psql`;
}

/**
 * One database of its own on the local PostgreSQL (`scripts/postgres.sh start`,
 * idempotent, `wal_level=logical`), driven through `psql` with ON_ERROR_STOP so a failed
 * statement fails the test.
 */
export class TestPostgres {
  static async create(database: string): Promise<TestPostgres> {
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(database))
      throw new Error(`not a plain database name: ${database}`);
    await runRepoScript('postgres.sh', ['start']);
    const url = new URL(await runRepoScript('postgres.sh', ['url']));
    const server = new TestPostgres(url, 'postgres');
    await server.sql(`CREATE DATABASE ${database}`);
    return new TestPostgres(url, database);
  }

  private constructor(private readonly url: URL, readonly database: string) {}

  get host(): string {
    return this.url.hostname;
  }

  get port(): number {
    return Number(this.url.port);
  }

  get user(): string {
    return this.url.username;
  }

  /** Runs the statements (one implicit transaction); returns psql's unaligned, tuples-only output. */
  sql(statements: string, database = this.database): Promise<string> {
    return new Promise((done, fail) => {
      execFile(
        psqlPath(),
        [
          '-h',
          this.host,
          '-p',
          String(this.port),
          '-U',
          this.user,
          '-d',
          database,
          '-v',
          'ON_ERROR_STOP=1',
          '-X',
          '-q',
          '-A',
          '-t',
          '-c',
          statements,
        ],
        { timeout: 60_000 },
        (error, stdout, stderr) =>
          error
            ? fail(new Error(`psql: ${error.message}\n${stderr}`))
            : done(stdout.trim()),
      );
    });
  }

  /** The rows of a query as JSON objects, in the query's order. */
  async rows(query: string): Promise<Record<string, unknown>[]> {
    const out = await this.sql(
      `SELECT coalesce(json_agg(q), '[]') FROM (${query}) q`,
    );
    return JSON.parse(out);
  }

  /**
   * Drops the database, with its replication slots (a slot keeps its connector's WAL
   * forever), once nothing uses them any more.
   */
  async drop(): Promise<void> {
    await waitFor(
      `the replication slots of ${this.database} to be released`,
      async () => {
        await this.sql(
          `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '${this.database}'`,
          'postgres',
        );
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    await this.sql(
      `DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`,
      'postgres',
    );
  }
}
