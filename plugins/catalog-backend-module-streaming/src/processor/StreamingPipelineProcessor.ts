import {
  CacheService,
  LoggerService,
  RootConfigService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
  stringifyLocationRef,
} from '@backstage/catalog-model';
import { InputError, toError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ELASTICSEARCH_CLUSTER,
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_PIPELINE_SCHEMA_VERSION,
  ANNOTATION_PIPELINE_SPEC,
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_PIPELINE_SUMMARY_LOCATION,
  ENTITY_TYPE_PIPELINE,
  PipelineSpec,
  PipelineSummary,
  SpecError,
  formatSpecError,
  parsePipelineSpec,
  sourceSchemaFile,
  toPipelineSummary,
} from '@internal/plugin-streaming-common';
import { readOptionalDuration } from '@internal/plugin-streaming-node';
import { defaultKafkaCluster } from '../defaultKafkaCluster';
import {
  PipelineEntities,
  PipelineSchemaFile,
  buildPipelineEntities,
} from './buildPipelineEntities';
import { CheckpointClaims } from './CheckpointClaims';
import { PipelineFileReader } from './PipelineFileReader';

/** @public */
export interface StreamingPipelineProcessorOptions {
  reader: UrlReaderService;
  logger: LoggerService;
  /** Where pipelines' claims on checkpoints are kept (the catalog's cache). */
  cache: CacheService;
}

/** One line per error, with its place in the file when known. */
function describeSpecError(error: SpecError): string {
  const at =
    error.line !== undefined
      ? ` (line ${error.line}${
          error.column !== undefined ? `, column ${error.column}` : ''
        })`
      : '';
  return `${formatSpecError(error)}${at}`;
}

function isPipelineEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    entity.spec?.type === ENTITY_TYPE_PIPELINE &&
    typeof entity.metadata.annotations?.[ANNOTATION_PIPELINE_SPEC] === 'string'
  );
}

/** Annotations only this processor writes: whatever an author wrote is dropped. */
const PROCESSOR_ANNOTATIONS = [
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_PIPELINE_SUMMARY_LOCATION,
];

/** The entity without the processor's annotations, plus `annotations`. */
function withOwnAnnotations(
  entity: Entity,
  annotations: Record<string, string> = {},
): Entity {
  const current = entity.metadata.annotations ?? {};
  if (
    !PROCESSOR_ANNOTATIONS.some(key => key in current) &&
    Object.keys(annotations).length === 0
  ) {
    return entity;
  }
  const kept = Object.fromEntries(
    Object.entries(current).filter(
      ([key]) => !PROCESSOR_ANNOTATIONS.includes(key),
    ),
  );
  return {
    ...entity,
    metadata: { ...entity.metadata, annotations: { ...kept, ...annotations } },
  };
}

/**
 * Turns a streaming pipeline Component (`spec.type: streaming-pipeline` with
 * the `pipeline-spec` annotation) into the Kafka topics, Delta tables,
 * Elasticsearch indexes, CDC source tables and schema APIs its spec names,
 * with `dependsOn`/`dependencyOf` lineage, and writes the pipeline's summary
 * into an annotation. An unreadable or invalid spec is an error on the
 * pipeline entity; it never stops the processing of other entities.
 *
 * @public
 */
export class StreamingPipelineProcessor implements CatalogProcessor {
  static fromConfig(
    config: RootConfigService,
    options: StreamingPipelineProcessorOptions,
  ): StreamingPipelineProcessor {
    const defaultCluster = defaultKafkaCluster(config);
    const own = config.getOptionalConfig(
      'catalog.processors.streamingPipeline',
    );
    return new StreamingPipelineProcessor(
      new PipelineFileReader(
        options.reader,
        ScmIntegrations.fromConfig(config),
        own?.getOptionalNumber('maxFileBytes'),
      ),
      defaultCluster,
      stringifyEntityRef(
        parseEntityRef(own?.getOptionalString('inputOwner') ?? 'unknown', {
          defaultKind: 'group',
          defaultNamespace: DEFAULT_NAMESPACE,
        }),
      ),
      new CheckpointClaims(
        options.cache,
        readOptionalDuration(
          config,
          'catalog.processors.streamingPipeline.checkpointClaimTtl',
          {
            defaultValue: { minutes: 15 },
            replaces: {
              key: 'catalog.processors.streamingPipeline.checkpointClaimSeconds',
              unit: 'seconds',
            },
            logger: options.logger,
          },
        ),
      ),
      options.logger.child({ processor: 'StreamingPipelineProcessor' }),
    );
  }

  private constructor(
    private readonly files: PipelineFileReader,
    private readonly defaultCluster: string,
    private readonly inputOwner: string,
    private readonly checkpoints: CheckpointClaims,
    private readonly logger: LoggerService,
  ) {}

  getProcessorName(): string {
    return 'StreamingPipelineProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
    _originLocation: LocationSpec,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    if (!isPipelineEntity(entity)) {
      return withOwnAnnotations(entity);
    }
    const processed = await this.processPipeline(entity, location, emit, cache);
    return withOwnAnnotations(entity, processed);
  }

  /**
   * Reads the pipeline's spec and emits its entities and relations; the
   * annotations to write, or undefined after emitting an error.
   */
  private async processPipeline(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
    cache: CatalogProcessorCache,
  ): Promise<Record<string, string> | undefined> {
    const entityRef = stringifyEntityRef(entity);
    const specPath = entity.metadata.annotations![ANNOTATION_PIPELINE_SPEC];

    let specLocation: LocationSpec;
    let text: string;
    try {
      specLocation = this.files.resolve(location, specPath);
      text = await this.files.read(specLocation, location, cache);
    } catch (error) {
      this.logger.debug('Pipeline spec unreadable', {
        entityRef,
        error: toError(error).message,
      });
      emit(
        processingResult.inputError(
          location,
          `${ANNOTATION_PIPELINE_SPEC}: could not read ${specPath}: ${
            toError(error).message
          }`,
        ),
      );
      return undefined;
    }
    if (specLocation.type === 'url') {
      emit(processingResult.refresh(`url:${specLocation.target}`));
    }

    const { spec, errors } = parsePipelineSpec(text);
    if (!spec) {
      emit(
        processingResult.inputError(
          specLocation,
          `Invalid pipeline spec ${specPath}:\n${errors
            .map(describeSpecError)
            .join('\n')}`,
        ),
      );
      return undefined;
    }
    if (spec.pipeline.name !== entity.metadata.name) {
      // The backend finds micro-batches (and the SparkApplication) by it.
      emit(
        processingResult.inputError(
          specLocation,
          `pipeline.name: "${spec.pipeline.name}" must be the name of the pipeline entity, "${entity.metadata.name}"`,
        ),
      );
      return undefined;
    }

    const schemas = await this.readSchemas(
      spec,
      { specLocation, location, cache },
      emit,
    );
    if (!schemas) {
      return undefined;
    }

    const { checkpoint } = spec.pipeline.sink;
    const others = await this.checkpoints.claim(
      checkpoint,
      entityRef,
      (await cache.get('checkpoint')) as string | undefined,
    );
    await cache.set('checkpoint', checkpoint);
    if (others.length > 0) {
      emit(
        processingResult.inputError(
          specLocation,
          `pipeline.sink.checkpoint: ${checkpoint} is also the checkpoint of ${others.join(
            ', ',
          )}; a checkpoint belongs to one pipeline`,
        ),
      );
      return undefined;
    }

    let built: PipelineEntities;
    try {
      built = buildPipelineEntities({
        pipeline: entity,
        spec,
        defaultCluster: this.defaultCluster,
        inputOwner: this.inputOwner,
        schemas,
      });
    } catch (error) {
      // e.g. an owner or system that is not an entity ref
      emit(processingResult.inputError(location, toError(error).message));
      return undefined;
    }
    const { entities, relations } = built;
    for (const emitted of entities) {
      emit(
        processingResult.entity(specLocation, emitted.entity, {
          // A pipeline claims what it writes; what it reads is shared.
          locationKey: emitted.role === 'output' ? undefined : null,
        }),
      );
    }
    for (const relation of relations) {
      emit(processingResult.relation(relation));
    }

    const summary = this.summarize(spec);
    const cluster = summary.source.cluster ?? summary.sink.cluster;
    const { sink } = spec.pipeline;
    const searchCluster =
      sink.type === 'elasticsearch' ? sink.cluster : undefined;
    // The registry subject's version the spec pins (the scaffolder pins "latest").
    const pinned =
      spec.pipeline.source.type === 'kafka' &&
      typeof spec.pipeline.source.schema === 'object' &&
      spec.pipeline.source.schema.version !== 'latest'
        ? spec.pipeline.source.schema.version
        : undefined;
    return {
      [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify(summary),
      [ANNOTATION_PIPELINE_SUMMARY_LOCATION]: stringifyLocationRef(location),
      ...(cluster ? { [ANNOTATION_KAFKA_CLUSTER]: cluster } : {}),
      ...(searchCluster
        ? { [ANNOTATION_ELASTICSEARCH_CLUSTER]: searchCluster }
        : {}),
      ...(pinned !== undefined
        ? { [ANNOTATION_PIPELINE_SCHEMA_VERSION]: String(pinned) }
        : {}),
    };
  }

  /** The spec's summary, with the default Kafka cluster filled in. */
  private summarize(spec: PipelineSpec): PipelineSummary {
    const summary = toPipelineSummary(spec);
    const { source, sink } = summary;
    const usesKafka = (type: string) => type === 'kafka' || type === 'debezium';
    return {
      ...summary,
      source: usesKafka(source.type)
        ? { ...source, cluster: source.cluster ?? this.defaultCluster }
        : source,
      sink: usesKafka(sink.type)
        ? {
            ...sink,
            cluster: sink.cluster ?? source.cluster ?? this.defaultCluster,
          }
        : sink,
    };
  }

  /** Reads the source's schema file, if any; undefined after emitting an error. */
  private async readSchemas(
    spec: PipelineSpec,
    from: {
      specLocation: LocationSpec;
      location: LocationSpec;
      cache: CatalogProcessorCache;
    },
    emit: CatalogProcessorEmit,
  ): Promise<PipelineSchemaFile[] | undefined> {
    const { specLocation, location, cache } = from;
    const { source } = spec.pipeline;
    const file = sourceSchemaFile(source);
    const paths = file ? [file] : [];
    const schemas: PipelineSchemaFile[] = [];
    for (const schemaPath of paths) {
      try {
        const schemaLocation = this.files.resolve(specLocation, schemaPath);
        const text = await this.files.read(schemaLocation, location, cache);
        try {
          JSON.parse(text);
        } catch (error) {
          // The parser's message quotes the text: give its place only.
          const at = /line (\d+) column (\d+)/.exec(toError(error).message);
          throw new InputError(
            `not valid JSON${at ? ` (line ${at[1]}, column ${at[2]})` : ''}`,
          );
        }
        schemas.push({
          path: schemaPath,
          location: schemaLocation.target,
          text,
        });
        if (schemaLocation.type === 'url') {
          emit(processingResult.refresh(`url:${schemaLocation.target}`));
        }
      } catch (error) {
        emit(
          processingResult.inputError(
            specLocation,
            `pipeline.source.schema: could not read ${schemaPath}: ${
              toError(error).message
            }`,
          ),
        );
        return undefined;
      }
    }
    return schemas;
  }
}
