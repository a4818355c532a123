import { SchemaRegistryClient } from '@internal/plugin-streaming-common';
import { runRepoScript } from './runRepoScript';
import { uniqueName } from './uniqueName';

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
    await runRepoScript('registry.sh', ['start']);
    const url = await runRepoScript('registry.sh', ['address']);
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
    return uniqueName(prefix);
  }
}
