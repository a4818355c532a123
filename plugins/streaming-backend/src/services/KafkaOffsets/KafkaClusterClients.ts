import { NotFoundError } from '@backstage/errors';
import { KafkaClusterConfig } from '../../config/StreamingConfig';
import {
  KafkaClusterClient,
  KafkaClusterClientOptions,
} from './KafkaClusterClient';

/**
 * The backend's one {@link KafkaClusterClient} per configured Kafka cluster,
 * shared by everything that talks to the brokers (the offsets poller, the
 * topic sampler) and closed once on shutdown. A client connects on first use.
 */
export class KafkaClusterClients {
  private readonly clients: Map<string, KafkaClusterClient>;

  constructor(
    clusters: KafkaClusterConfig[],
    options: KafkaClusterClientOptions = {},
  ) {
    this.clients = new Map(
      clusters.map(cluster => [
        cluster.name,
        new KafkaClusterClient(cluster, options),
      ]),
    );
  }

  /** The client of a configured cluster; NotFoundError naming the configured ones otherwise. */
  get(cluster: string): KafkaClusterClient {
    const client = this.clients.get(cluster);
    if (!client) {
      throw new NotFoundError(
        `No Kafka cluster named ${cluster}; configured: ${
          [...this.clients.keys()].join(', ') || 'none'
        }`,
      );
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map(c => c.close()));
  }
}
