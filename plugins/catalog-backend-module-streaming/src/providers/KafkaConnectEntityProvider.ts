import {
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskRunner,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { toError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  KafkaConnectClient,
  KafkaConnectClusters,
  redactCredentials,
} from '@internal/plugin-streaming-node';
import { defaultKafkaCluster } from '../defaultKafkaCluster';
import { kafkaConnectorEntities } from './kafkaConnectorEntities';

const CONFIG_KEY = 'catalog.providers.streamingKafkaConnect';
const DEFAULT_MAX_CONNECTORS = 1000;

/** What every Connect cluster's provider shares. */
interface ProviderSettings {
  /** Owner of the connectors and the tables they capture. */
  owner: string;
  maxConnectors: number;
}

/**
 * Lists the connectors of a Kafka Connect cluster of app-config
 * (`streaming.kafkaConnect.clusters[]`) as `kafka-connector` Resources, and
 * the tables Debezium source connectors capture as `database-table`
 * Resources, with the lineage table, connector, topic; on the schedule of
 * `catalog.providers.streamingKafkaConnect.schedule`. A cluster that does not
 * answer keeps the entities of its last good read. One provider per cluster.
 *
 * @public
 */
export class KafkaConnectEntityProvider implements EntityProvider {
  static fromConfig(
    config: RootConfigService,
    deps: { logger: LoggerService; scheduler: SchedulerService },
  ): KafkaConnectEntityProvider[] {
    const clusters = KafkaConnectClusters.fromConfig(config, deps);
    const own = config.getOptionalConfig(CONFIG_KEY);
    const settings: ProviderSettings = {
      owner: stringifyEntityRef(
        parseEntityRef(own?.getOptionalString('owner') ?? 'unknown', {
          defaultKind: 'group',
          defaultNamespace: DEFAULT_NAMESPACE,
        }),
      ),
      maxConnectors:
        own?.getOptionalNumber('maxConnectors') ?? DEFAULT_MAX_CONNECTORS,
    };
    const schedule = own?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          own.getConfig('schedule'),
        )
      : { frequency: { minutes: 5 }, timeout: { minutes: 3 } };
    return clusters
      .clusterNames()
      .map(
        name =>
          new KafkaConnectEntityProvider(
            name,
            clusters.get(name),
            clusters.kafkaCluster(name) ?? defaultKafkaCluster(config),
            settings,
            deps.scheduler.createScheduledTaskRunner(schedule),
            deps.logger.child({ provider: `streaming-kafka-connect:${name}` }),
          ),
      );
  }

  #connection?: EntityProviderConnection;
  /** Whether the last read failed: an outage is logged once, not every run. */
  #failing = false;

  private constructor(
    private readonly cluster: string,
    private readonly client: KafkaConnectClient,
    private readonly kafkaCluster: string,
    private readonly settings: ProviderSettings,
    private readonly runner: SchedulerServiceTaskRunner,
    private readonly logger: LoggerService,
  ) {}

  getProviderName(): string {
    return `streaming-kafka-connect:${this.cluster}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.runner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /**
   * Reads every connector and replaces this cluster's entities. When the
   * cluster does not answer, the entities of the last good read stay and
   * the outage is logged once (and its end once).
   */
  async refresh(): Promise<void> {
    if (!this.#connection) {
      throw new Error(`${this.getProviderName()} is not connected`);
    }
    let entities: Entity[];
    try {
      entities = await this.read();
    } catch (error) {
      const fields = {
        cluster: this.cluster,
        url: this.client.url,
        error: redactCredentials(toError(error).message),
      };
      if (this.#failing) {
        this.logger.debug('Kafka Connect cluster still not answering', fields);
      } else {
        this.#failing = true;
        this.logger.warn(
          'Kafka Connect cluster not read; its connectors and tables stay as last read',
          fields,
        );
      }
      return;
    }
    await this.#connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    if (this.#failing) {
      this.#failing = false;
      this.logger.info('Kafka Connect cluster answers again', {
        cluster: this.cluster,
      });
    }
    this.logger.debug('Kafka Connect cluster read', {
      entities: entities.length,
    });
  }

  /** The entities of the cluster's connectors, each entity once. */
  private async read(): Promise<Entity[]> {
    const all = await this.client.listConnectors();
    const connectors = all.slice(0, this.settings.maxConnectors);
    if (all.length > connectors.length) {
      this.logger.warn(
        `Kafka Connect cluster lists ${all.length} connectors; only the first ${connectors.length} become entities (${CONFIG_KEY}.maxConnectors)`,
        { cluster: this.cluster },
      );
    }
    const byRef = new Map<string, Entity>();
    for (const connector of connectors) {
      let activeTopics: string[] = [];
      try {
        activeTopics = await this.client.connectorTopics(connector.name);
      } catch (error) {
        // Deleted since the list, or topic tracking off: its config still says enough.
        this.logger.debug('Connector topics not read', {
          connector: connector.name,
          error: redactCredentials(toError(error).message),
        });
      }
      for (const entity of kafkaConnectorEntities({
        cluster: this.cluster,
        clusterUrl: this.client.url,
        kafkaCluster: this.kafkaCluster,
        connector,
        activeTopics,
        owner: this.settings.owner,
      })) {
        const ref = stringifyEntityRef(entity);
        // A table two connectors capture: the first (in name order) describes it.
        if (!byRef.has(ref)) byRef.set(ref, entity);
      }
    }
    return [...byRef.values()];
  }
}
