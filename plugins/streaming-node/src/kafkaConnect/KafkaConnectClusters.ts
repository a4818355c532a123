import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readOptionalDuration } from '../config/readOptionalDuration';
import { KafkaConnectClient } from './KafkaConnectClient';

/** One Kafka Connect cluster of `streaming.kafkaConnect.clusters`. */
interface ConnectCluster {
  name: string;
  client: KafkaConnectClient;
  allowedConnectorClasses?: string[];
  kafkaCluster?: string;
}

/**
 * The Kafka Connect clusters named in app-config
 * (`streaming.kafkaConnect.clusters`): templates and entities name a cluster,
 * never a URL.
 *
 * @public
 */
export class KafkaConnectClusters {
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): KafkaConnectClusters {
    const root = config.getOptionalConfig('streaming.kafkaConnect');
    const timeoutMs = readOptionalDuration(
      config,
      'streaming.kafkaConnect.requestTimeout',
      {
        defaultValue: { seconds: 30 },
        replaces: {
          key: 'streaming.kafkaConnect.requestTimeoutMs',
          unit: 'milliseconds',
        },
        logger: options.logger,
      },
    );
    const rebalanceTimeoutMs = readOptionalDuration(
      config,
      'streaming.kafkaConnect.rebalanceTimeout',
      { defaultValue: { seconds: 60 }, logger: options.logger },
    );
    const kafkaClusters = (
      config.getOptionalConfigArray('streaming.kafka.clusters') ?? []
    ).map(c => c.getString('name'));
    const kafkaClusterOf = (connect: string, named?: string) => {
      if (named !== undefined && !kafkaClusters.includes(named)) {
        throw new InputError(
          `streaming.kafkaConnect.clusters[${connect}].kafkaCluster: no Kafka cluster named '${named}'; configured in streaming.kafka.clusters are ${
            kafkaClusters.length > 0 ? kafkaClusters.join(', ') : 'none'
          }`,
        );
      }
      return named ?? kafkaClusters[0];
    };
    const clusters = (root?.getOptionalConfigArray('clusters') ?? []).map(
      (c): ConnectCluster => {
        const name = c.getString('name');
        const url = c.getString('url');
        const parsed = new URL(url);
        if (!['http:', 'https:'].includes(parsed.protocol) || parsed.username) {
          throw new InputError(
            `streaming.kafkaConnect.clusters[${name}].url must be an http(s) URL without credentials (use username and password)`,
          );
        }
        const username = c.getOptionalString('username');
        const password = c.getOptionalString('password');
        return {
          name,
          allowedConnectorClasses: c.getOptionalStringArray(
            'allowedConnectorClasses',
          ),
          kafkaCluster: kafkaClusterOf(
            name,
            c.getOptionalString('kafkaCluster'),
          ),
          client: new KafkaConnectClient({
            url: url.replace(/\/+$/, ''),
            authorization:
              username !== undefined
                ? `Basic ${Buffer.from(
                    `${username}:${password ?? ''}`,
                  ).toString('base64')}`
                : undefined,
            timeoutMs,
            rebalanceTimeoutMs,
          }),
        };
      },
    );
    return new KafkaConnectClusters(new Map(clusters.map(c => [c.name, c])));
  }

  private constructor(private readonly clusters: Map<string, ConnectCluster>) {}

  clusterNames(): string[] {
    return [...this.clusters.keys()];
  }

  /** The client of a configured cluster; an `InputError` naming the configured ones otherwise. */
  get(name: string): KafkaConnectClient {
    return this.cluster(name).client;
  }

  /**
   * The Kafka cluster (by its name in `streaming.kafka.clusters`) the Connect
   * cluster's connectors write to and read from: the one its config names
   * (`kafkaCluster`), else the first Kafka cluster.
   */
  kafkaCluster(name: string): string | undefined {
    return this.cluster(name).kafkaCluster;
  }

  /** Fails unless the cluster's `allowedConnectorClasses` (when set) has the class. */
  assertConnectorClassAllowed(name: string, connectorClass: string): void {
    const allowed = this.cluster(name).allowedConnectorClasses;
    if (allowed && !allowed.includes(connectorClass)) {
      throw new InputError(
        `connector class ${connectorClass} is not allowed on Kafka Connect cluster ${name} (streaming.kafkaConnect.clusters[].allowedConnectorClasses: ${allowed.join(
          ', ',
        )})`,
      );
    }
  }

  private cluster(name: string): ConnectCluster {
    const cluster = this.clusters.get(name);
    if (!cluster) {
      const known = this.clusterNames();
      throw new InputError(
        `unknown Kafka Connect cluster '${name}': configured in streaming.kafkaConnect.clusters are ${
          known.length > 0 ? known.join(', ') : 'none'
        }`,
      );
    }
    return cluster;
  }
}
