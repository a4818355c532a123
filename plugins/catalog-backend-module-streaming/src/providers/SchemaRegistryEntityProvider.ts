import {
  AuthService,
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
  CatalogService,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  kafkaTopicEntityName,
  SchemaRegistryClient,
} from '@internal/plugin-streaming-common';
import { SchemaRegistries } from '@internal/plugin-streaming-node';
import { registrySubjectEntity, topicOfSubject } from './registrySubjectEntity';

const CONFIG_KEY = 'catalog.providers.streamingSchemaRegistry';
const DEFAULT_MAX_SUBJECTS = 1000;

/** What every registry's provider shares. */
interface ProviderSettings {
  /** Owner of a subject whose topic entity names no owner of its own. */
  owner: string;
  /** The owner pipelines give topics nobody writes: not a real owner. */
  inputOwner: string;
  maxSubjects: number;
}

/**
 * Lists the subjects of a schema registry of app-config
 * (`streaming.schemaRegistries.<name>`) as `API` entities (`spec.type` avro,
 * json-schema or protobuf, the latest version as `spec.definition`, versions
 * in annotations), on the schedule of
 * `catalog.providers.streamingSchemaRegistry.schedule`. A subject named after
 * a topic by the TopicNameStrategy takes the owner of that topic's entity,
 * other subjects the configured owner. One provider per registry.
 *
 * @public
 */
export class SchemaRegistryEntityProvider implements EntityProvider {
  static fromConfig(
    config: RootConfigService,
    deps: {
      logger: LoggerService;
      scheduler: SchedulerService;
      catalog: CatalogService;
      auth: AuthService;
    },
  ): SchemaRegistryEntityProvider[] {
    const registries = SchemaRegistries.fromConfig(config);
    const own = config.getOptionalConfig(CONFIG_KEY);
    const owner = (key: string, fallback: string) =>
      stringifyEntityRef(
        parseEntityRef(own?.getOptionalString(key) ?? fallback, {
          defaultKind: 'group',
          defaultNamespace: DEFAULT_NAMESPACE,
        }),
      );
    const settings: ProviderSettings = {
      owner: owner('owner', 'unknown'),
      inputOwner: stringifyEntityRef(
        parseEntityRef(
          config.getOptionalString(
            'catalog.processors.streamingPipeline.inputOwner',
          ) ?? 'unknown',
          { defaultKind: 'group', defaultNamespace: DEFAULT_NAMESPACE },
        ),
      ),
      maxSubjects:
        own?.getOptionalNumber('maxSubjects') ?? DEFAULT_MAX_SUBJECTS,
    };
    const schedule = own?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          own.getConfig('schedule'),
        )
      : { frequency: { minutes: 5 }, timeout: { minutes: 3 } };
    return registries.names().map(
      name =>
        new SchemaRegistryEntityProvider(
          name,
          registries.get(name),
          registries.kafkaCluster(name),
          settings,
          deps.scheduler.createScheduledTaskRunner(schedule),
          deps.catalog,
          deps.auth,
          deps.logger.child({
            provider: `streaming-schema-registry:${name}`,
          }),
        ),
    );
  }

  #connection?: EntityProviderConnection;

  private constructor(
    private readonly registry: string,
    private readonly client: SchemaRegistryClient,
    private readonly kafkaCluster: string | undefined,
    private readonly settings: ProviderSettings,
    private readonly runner: SchedulerServiceTaskRunner,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  getProviderName(): string {
    return `streaming-schema-registry:${this.registry}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.runner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          // The entities of the last good read stay; the next run tries again.
          this.logger.warn('Schema registry not read', {
            error: toError(error).message,
          });
        }
      },
    });
  }

  /** Reads every subject's latest version and replaces this registry's entities. */
  async refresh(): Promise<void> {
    if (!this.#connection) {
      throw new Error(`${this.getProviderName()} is not connected`);
    }
    const all = await this.client.listSubjects();
    const subjects = all.slice(0, this.settings.maxSubjects);
    if (all.length > subjects.length) {
      this.logger.warn(
        `Schema registry lists ${all.length} subjects; only the first ${subjects.length} become entities (${CONFIG_KEY}.maxSubjects)`,
      );
    }
    const owners = await this.topicOwners(subjects);
    const entities: Entity[] = [];
    for (const subject of subjects) {
      try {
        const [latest, versions] = await Promise.all([
          this.client.getVersion(subject),
          this.client.listVersions(subject),
        ]);
        entities.push(
          registrySubjectEntity({
            registry: this.registry,
            registryUrl: this.client.url,
            kafkaCluster: this.kafkaCluster,
            latest,
            versions,
            owner: owners.get(subject) ?? this.settings.owner,
          }),
        );
      } catch (error) {
        // Deleted between the list and the read, or unreadable: left out this time.
        this.logger.debug('Subject not read', {
          subject,
          error: toError(error).message,
        });
      }
    }
    await this.#connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.logger.debug('Schema registry read', { subjects: entities.length });
  }

  /** The owners of the topic entities the subjects name, where a pipeline claimed the topic. */
  private async topicOwners(subjects: string[]): Promise<Map<string, string>> {
    const cluster = this.kafkaCluster;
    const named = subjects.flatMap(subject => {
      const topic = topicOfSubject(subject);
      return topic && cluster
        ? [
            {
              subject,
              ref: `resource:default/${kafkaTopicEntityName(cluster, topic)}`,
            },
          ]
        : [];
    });
    if (named.length === 0) {
      return new Map();
    }
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: named.map(n => n.ref), fields: ['spec.owner'] },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    const owners = new Map<string, string>();
    named.forEach(({ subject }, index) => {
      const topicOwner = items[index]?.spec?.owner;
      if (
        typeof topicOwner === 'string' &&
        topicOwner !== this.settings.inputOwner
      ) {
        owners.set(subject, topicOwner);
      }
    });
    return owners;
  }
}
