import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  KafkaClusterConfig,
  kafkaClientConfig,
  readKafkaClusterConfigs,
} from '@internal/plugin-streaming-node';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { findCluster } from '../../config/findCluster';

/**
 * One connected kafkajs admin client per configured cluster, opened on first
 * use and reused by every task; {@link KafkaAdmins.close} disconnects them
 * all at shutdown.
 */
export class KafkaAdmins {
  readonly #clusters: KafkaClusterConfig[];
  readonly #logger: LoggerService;
  readonly #admins = new Map<string, Promise<Admin>>();

  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): KafkaAdmins {
    return new KafkaAdmins(readKafkaClusterConfigs(config), options.logger);
  }

  private constructor(clusters: KafkaClusterConfig[], logger: LoggerService) {
    this.#clusters = clusters;
    this.#logger = logger;
  }

  /** The configured cluster names, in config order. */
  clusterNames(): string[] {
    return this.#clusters.map(c => c.name);
  }

  /** Throws an `InputError` naming the configured clusters when unknown. */
  assertCluster(name: string): void {
    findCluster(this.#clusters, name, 'Kafka');
  }

  /** The connected admin client of the named cluster. */
  async get(name: string): Promise<Admin> {
    const cluster = findCluster(this.#clusters, name, 'Kafka');
    let admin = this.#admins.get(name);
    if (!admin) {
      admin = this.#connect(cluster);
      this.#admins.set(name, admin);
      admin.catch(() => this.#admins.delete(name));
    }
    return admin;
  }

  async close(): Promise<void> {
    const admins = [...this.#admins.values()];
    this.#admins.clear();
    await Promise.allSettled(
      admins.map(async admin => (await admin).disconnect()),
    );
  }

  async #connect(cluster: KafkaClusterConfig): Promise<Admin> {
    const logger = this.#logger.child({ kafkaCluster: cluster.name });
    const kafka = new Kafka({
      ...kafkaClientConfig(cluster, {
        clientId: 'backstage-scaffolder-streaming',
        retry: { retries: 2 },
      }),
      logLevel: logLevel.WARN,
      logCreator: () => entry =>
        logger.debug(entry.log.message, { namespace: entry.namespace }),
    });
    const admin = kafka.admin();
    await admin.connect();
    logger.debug('Kafka admin client connected');
    return admin;
  }
}
