import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import {
  ConnectorConfig,
  KafkaConnectClusters,
} from '@internal/plugin-streaming-node';
import { examples } from './kafkaConnectorCreate.examples';
import { parseActionInput } from './parseActionInput';

/** Config keys that hold credentials: their values must be config-provider references. */
const SECRET_KEY = /(password|secret|credential|token|api\.?key|jaas\.config)/i;
/** A Kafka Connect config-provider reference such as `${env:DB_PASSWORD}` or `${file:/secrets/db.properties:password}`. */
const PROVIDER_REFERENCE = /^\$\{[A-Za-z][A-Za-z0-9_.-]*:[^${}]+\}$/;

const inputSchema = z.object({
  cluster: z
    .string()
    .min(1)
    .describe(
      'Name of the Kafka Connect cluster in app-config (`streaming.kafkaConnect.clusters[].name`)',
    ),
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, {
      message:
        'expected a connector name: letters, digits, ".", "_" and "-", at most 200 characters',
    })
    .describe('The connector name'),
  config: z
    .record(z.union([z.string(), z.number(), z.boolean()]))
    .refine(c => typeof c['connector.class'] === 'string', {
      message: 'must set connector.class',
    })
    .describe(
      'The connector config. Credentials only as config-provider references (`${env:NAME}`, `${file:PATH:KEY}`), resolved by the Connect worker: a literal value of a key such as `database.password` is refused',
    ),
});

const outputSchema = z.object({
  name: z.string(),
  cluster: z.string(),
  connectorClass: z.string(),
  status: z
    .enum(['created', 'exists', 'valid'])
    .describe(
      '`created`, `exists` (already there with the same config) or `valid` (dry run: Connect validated the config)',
    ),
});

/** The differences between an existing connector's config and the requested one, by key. */
function differences(existing: ConnectorConfig, wanted: ConnectorConfig) {
  const keys = [...new Set([...Object.keys(existing), ...Object.keys(wanted)])]
    .filter(k => k !== 'name')
    .sort();
  return keys.flatMap(key => {
    const [was, want] = [existing[key], wanted[key]];
    if (was === want) return [];
    // Credentials are references, still: say that they differ, not what they are.
    if (SECRET_KEY.test(key)) {
      return [`${key} differs`];
    }
    const show = (v: string | undefined) =>
      v === undefined ? 'unset' : `'${v}'`;
    return [`${key} is ${show(was)}, requested ${show(want)}`];
  });
}

/**
 * `kafka:connector:create`: creates a Kafka Connect connector (e.g. Debezium's
 * PostgreSQL connector of a CDC pipeline) on a Connect cluster named in
 * `streaming.kafkaConnect.clusters`, idempotently.
 *
 * @public
 */
export function createKafkaConnectorCreateAction(options: {
  connectClusters: KafkaConnectClusters;
}) {
  const { connectClusters } = options;
  return createTemplateAction({
    id: 'kafka:connector:create',
    description:
      "Creates a Kafka Connect connector on a cluster named in app-config (`streaming.kafkaConnect.clusters`). The config is validated by Connect's own validation endpoint first (in dry run only that). A connector that already exists with the same config is success; with a different config the step fails and names each difference. Credentials are config-provider references resolved by the worker (`${env:NAME}`), never literal values.",
    examples,
    supportsDryRun: true,
    schema: {
      input: () => inputSchema,
      output: () => outputSchema,
    },
    async handler(ctx) {
      const input = parseActionInput(inputSchema, ctx.input);
      const { cluster, name } = input;
      const config: ConnectorConfig = Object.fromEntries(
        Object.entries(input.config).map(([k, v]) => [k, String(v)]),
      );
      const literalSecrets = Object.entries(config)
        .filter(([k, v]) => SECRET_KEY.test(k) && !PROVIDER_REFERENCE.test(v))
        .map(([k]) => k);
      if (literalSecrets.length > 0) {
        throw new InputError(
          `Invalid input: config.${literalSecrets.join(
            ', config.',
          )}: credentials must be config-provider references such as \${env:NAME}, never literal values`,
        );
      }
      const connectorClass = config['connector.class'];
      connectClusters.assertConnectorClassAllowed(cluster, connectorClass);
      const connect = connectClusters.get(cluster);

      const result = (status: 'created' | 'exists' | 'valid') => {
        ctx.logger.info(`Kafka connector ${name}: ${status}`, {
          cluster,
          connector: name,
        });
        ctx.output('name', name);
        ctx.output('cluster', cluster);
        ctx.output('connectorClass', connectorClass);
        ctx.output('status', status);
      };

      const existing = await connect.getConfig(name);
      if (existing) {
        const diff = differences(existing, config);
        if (diff.length > 0) {
          throw new ConflictError(
            `Kafka connector ${name} on ${cluster} exists with a different config: ${diff.join(
              '; ',
            )}`,
          );
        }
        result('exists');
        return;
      }
      const problems = await connect.validate(name, config);
      if (problems.length > 0) {
        throw new InputError(
          `Kafka Connect refused the config of ${name}: ${problems
            .map(p => `${p.key}: ${p.errors.join(' ')}`)
            .join('; ')}`,
        );
      }
      if (ctx.isDryRun) {
        result('valid');
        return;
      }
      await ctx.checkpoint({
        key: `kafka.connector.create.${cluster}.${name}`,
        fn: async () => {
          await connect.putConfig(name, config);
          return { created: true };
        },
      });
      result('created');
    },
  });
}
