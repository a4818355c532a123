import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  Entity,
  RELATION_API_CONSUMED_BY,
  RELATION_API_PROVIDED_BY,
  RELATION_CONSUMES_API,
  RELATION_PROVIDES_API,
} from '@backstage/catalog-model';
import { toError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KAFKA_TOPIC,
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_SCHEMA_REGISTRY,
  ENTITY_TYPE_PIPELINE,
  PipelineSummary,
  kafkaTopicEntityName,
  registrySubjectEntityName,
} from '@internal/plugin-streaming-common';
import {
  readOptionalDuration,
  SchemaRegistries,
} from '@internal/plugin-streaming-node';

interface CompoundRef {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Links the schema `API` entities of {@link SchemaRegistryEntityProvider} to
 * what uses them: the topic Resource whose records follow a subject (by the
 * TopicNameStrategy, `<topic>-value`) `providesApi` it, and a pipeline whose
 * source reads that topic `consumesApi` it. The subjects a registry has are
 * read at most once per `catalog.providers.streamingSchemaRegistry.subjectsCacheTtl`;
 * an unreachable registry adds no relation and stops nothing.
 *
 * @public
 */
export class SchemaSubjectProcessor implements CatalogProcessor {
  static fromConfig(
    config: RootConfigService,
    options: { logger: LoggerService },
  ): SchemaSubjectProcessor {
    const registries = SchemaRegistries.fromConfig(config);
    return new SchemaSubjectProcessor(
      registries,
      registries.names().map(name => ({
        name,
        cluster: registries.kafkaCluster(name),
      })),
      readOptionalDuration(
        config,
        'catalog.providers.streamingSchemaRegistry.subjectsCacheTtl',
        {
          defaultValue: { minutes: 1 },
          allowZero: true,
          replaces: {
            key: 'catalog.providers.streamingSchemaRegistry.subjectsCacheSeconds',
            unit: 'seconds',
          },
          logger: options.logger,
        },
      ),
      options.logger.child({ processor: 'SchemaSubjectProcessor' }),
    );
  }

  readonly #subjects = new Map<
    string,
    { at: number; subjects: Promise<Set<string>> }
  >();

  private constructor(
    private readonly registries: SchemaRegistries,
    private readonly clusters: Array<{ name: string; cluster?: string }>,
    private readonly cacheMs: number,
    private readonly logger: LoggerService,
  ) {}

  getProcessorName(): string {
    return 'SchemaSubjectProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const annotations = entity.metadata.annotations ?? {};
    const self: CompoundRef = {
      kind: entity.kind,
      namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
      name: entity.metadata.name,
    };
    const relate = (
      from: CompoundRef,
      type: string,
      reverse: string,
      to: CompoundRef,
    ) => {
      emit(processingResult.relation({ source: from, type, target: to }));
      emit(
        processingResult.relation({ source: to, type: reverse, target: from }),
      );
    };

    if (
      entity.kind === 'API' &&
      annotations[ANNOTATION_SCHEMA_REGISTRY] &&
      annotations[ANNOTATION_KAFKA_TOPIC] &&
      annotations[ANNOTATION_KAFKA_CLUSTER]
    ) {
      const topic: CompoundRef = {
        kind: 'Resource',
        namespace: DEFAULT_NAMESPACE,
        name: kafkaTopicEntityName(
          annotations[ANNOTATION_KAFKA_CLUSTER],
          annotations[ANNOTATION_KAFKA_TOPIC],
        ),
      };
      relate(topic, RELATION_PROVIDES_API, RELATION_API_PROVIDED_BY, self);
      return entity;
    }

    if (
      entity.kind === 'Component' &&
      entity.spec?.type === ENTITY_TYPE_PIPELINE &&
      annotations[ANNOTATION_PIPELINE_SUMMARY]
    ) {
      let source: PipelineSummary['source'];
      try {
        source = (
          JSON.parse(
            annotations[ANNOTATION_PIPELINE_SUMMARY],
          ) as PipelineSummary
        ).source;
      } catch {
        return entity; // the pipeline processor reports a broken summary
      }
      for (const { name, cluster } of this.clusters) {
        if (!cluster || source.cluster !== cluster) {
          continue;
        }
        const subjects = await this.subjectsOf(name);
        for (const topic of source.topics ?? []) {
          const subject = `${topic}-value`;
          if (subjects.has(subject)) {
            relate(self, RELATION_CONSUMES_API, RELATION_API_CONSUMED_BY, {
              kind: 'API',
              namespace: DEFAULT_NAMESPACE,
              name: registrySubjectEntityName(name, subject),
            });
          }
        }
      }
    }
    return entity;
  }

  /** The registry's subjects, from a cache of `cacheMs`; empty when it cannot be read. */
  private subjectsOf(registry: string): Promise<Set<string>> {
    const cached = this.#subjects.get(registry);
    if (cached && Date.now() - cached.at < this.cacheMs) {
      return cached.subjects;
    }
    const subjects = this.registries
      .get(registry)
      .listSubjects()
      .then(
        list => new Set(list),
        error => {
          this.logger.debug('Schema registry subjects not read', {
            registry,
            error: toError(error).message,
          });
          return new Set<string>();
        },
      );
    this.#subjects.set(registry, { at: Date.now(), subjects });
    return subjects;
  }
}
