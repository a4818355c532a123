import { Config } from '@backstage/config';
import {
  formatZodIssues,
  SchemaRegistryClient,
} from '@internal/plugin-streaming-common';
import { InputError } from '@backstage/errors';
import { z } from 'zod';

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

const registrySchema = z.object({
  url: z
    .url({ protocol: /^https?$/ })
    .refine(url => !new URL(url).username && !new URL(url).password, {
      error: 'must not carry credentials (use username and password)',
    }),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  requestTimeoutMs: z.number().int().positive().optional(),
  kafkaCluster: z.string().min(1).optional(),
});

const registriesSchema = z
  .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/), registrySchema)
  .optional();

/**
 * The schema registries of app-config (`streaming.schemaRegistries.<name>`),
 * each a {@link SchemaRegistryClient}: specs, templates and entities name a
 * registry, never a URL.
 *
 * @public
 */
export class SchemaRegistries {
  /**
   * Reads `streaming.schemaRegistries`; an error names the wrong key and
   * never a value (a password).
   */
  static fromConfig(config: Config): SchemaRegistries {
    const result = registriesSchema.safeParse(
      config.getOptional('streaming.schemaRegistries'),
    );
    if (!result.success) {
      throw new InputError(
        `Invalid configuration: ${formatZodIssues(result.error.issues, {
          root: 'streaming.schemaRegistries',
        })}`,
      );
    }
    const defaultCluster = config
      .getOptionalConfigArray('streaming.kafka.clusters')?.[0]
      ?.getOptionalString('name');
    return new SchemaRegistries(
      new Map(
        Object.entries(result.data ?? {}).map(
          ([name, { kafkaCluster, ...registry }]) => [
            name,
            {
              kafkaCluster: kafkaCluster ?? defaultCluster,
              client: new SchemaRegistryClient({
                ...registry,
                requestTimeoutMs:
                  registry.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
              }),
            },
          ],
        ),
      ),
    );
  }

  private constructor(
    private readonly registries: Map<
      string,
      { client: SchemaRegistryClient; kafkaCluster?: string }
    >,
  ) {}

  /** The registries serving a Kafka cluster's topics. */
  forKafkaCluster(cluster: string): string[] {
    return this.names().filter(name => this.kafkaCluster(name) === cluster);
  }

  /** The configured registries' names, in config order. */
  names(): string[] {
    return [...this.registries.keys()];
  }

  /**
   * The Kafka cluster (by its name in `streaming.kafka.clusters`) whose topics
   * the registry's subjects describe: the one its config names
   * (`kafkaCluster`), else the first Kafka cluster.
   */
  kafkaCluster(name: string): string | undefined {
    return this.registries.get(name)?.kafkaCluster;
  }

  /** The client of a configured registry; an `InputError` naming the configured ones otherwise. */
  get(name: string): SchemaRegistryClient {
    const registry = this.registries.get(name);
    if (!registry) {
      throw new InputError(
        `no schema registry named "${name}" in app-config (streaming.schemaRegistries); configured: ${
          this.names().join(', ') || 'none'
        }`,
      );
    }
    return registry.client;
  }
}
