import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SchemaRegistryClient } from '../schemaRegistry/SchemaRegistryClient';

const run = promisify(execFile);

/** The monorepo root, where `scripts/registry.sh` lives (tests run in a package folder). */
function findRepoRoot(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'scripts/registry.sh'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no scripts/registry.sh in ${process.cwd()} or above`);
    }
  }
}

/**
 * The real schema registry of `scripts/registry.sh` (Apicurio Registry's
 * Confluent-compatible API on loopback), for tests. `start` installs it on
 * first use and starts it when it is not running; tests never stop it. Each
 * test works on subjects of its own ({@link TestSchemaRegistry.uniqueSubject})
 * and deletes them.
 *
 * @public
 */
export class TestSchemaRegistry {
  private constructor(
    /** Base URL of the Confluent-compatible API. */
    readonly url: string,
    readonly client: SchemaRegistryClient,
  ) {}

  /** Starts the registry when it is not running (first run: fetches it, about a minute). */
  static async start(): Promise<TestSchemaRegistry> {
    const root = findRepoRoot();
    const script = path.join(root, 'scripts/registry.sh');
    await run(script, ['start'], { cwd: root, timeout: 600_000 });
    const { stdout } = await run(script, ['address'], { cwd: root });
    const url = stdout.trim();
    return new TestSchemaRegistry(
      url,
      new SchemaRegistryClient({ url, requestTimeoutMs: 30_000 }),
    );
  }

  /** A subject name no other test uses: `<prefix>-<random>-value`. */
  uniqueSubject(prefix: string): string {
    return `${this.uniqueTopic(prefix)}-value`;
  }

  /** A topic name no other test uses, whose TopicNameStrategy subject is `<topic>-value`. */
  uniqueTopic(prefix: string): string {
    return `${prefix}-${randomBytes(4).toString('hex')}`;
  }
}
