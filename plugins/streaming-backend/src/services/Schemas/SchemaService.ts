import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { NotFoundError, toError } from '@backstage/errors';
import {
  ANNOTATION_PIPELINE_SCHEMA_VERSION,
  PipelineSchemaSubject,
  PipelineSchemasResponse,
  RegisteredSchema,
  registrySubjectEntityName,
  SourceError,
  TopicFieldsResponse,
} from '@internal/plugin-streaming-common';
import {
  PipelineEntity,
  readOptionalDuration,
  SchemaRegistries,
} from '@internal/plugin-streaming-node';
import { StreamingConfig } from '../../config/StreamingConfig';
import { TtlCache } from '../../lib/TtlCache';
import { KafkaClusterClients } from '../KafkaOffsets/KafkaClusterClients';
import {
  FieldProposal,
  fieldsFromAvro,
  fieldsFromJsonSamples,
  fieldsFromJsonSchema,
} from './proposeFields';
import { SampleLimits, TopicSampler } from './TopicSampler';

const DEFAULT_SAMPLE_LIMITS = { maxMessages: 100, maxBytes: 1_048_576 };

/**
 * What the schema registries say about pipelines and topics: the subject a
 * pipeline's spec names, else those of its source topics (TopicNameStrategy,
 * `<topic>-value`), with the
 * version it was built for and what came after, reused for
 * `streaming.schemas.cacheTtl`; and the fields proposed for a topic in the
 * Create form, from its subject or from a bounded sample of its messages.
 */
export class SchemaService {
  static fromConfig(
    config: Config,
    streaming: StreamingConfig,
    logger: LoggerService,
    kafkaClients: KafkaClusterClients,
  ): SchemaService {
    const sample = config.getOptionalConfig('streaming.schemas.sample');
    return new SchemaService(
      SchemaRegistries.fromConfig(config),
      streaming,
      readOptionalDuration(config, 'streaming.schemas.cacheTtl', {
        defaultValue: { minutes: 1 },
        allowZero: true,
        logger,
      }),
      {
        maxMessages:
          sample?.getOptionalNumber('maxMessages') ??
          DEFAULT_SAMPLE_LIMITS.maxMessages,
        maxBytes:
          sample?.getOptionalNumber('maxBytes') ??
          DEFAULT_SAMPLE_LIMITS.maxBytes,
        timeoutMs: readOptionalDuration(
          config,
          'streaming.schemas.sample.timeout',
          { defaultValue: { seconds: 10 }, logger },
        ),
      },
      new TopicSampler(kafkaClients),
      logger,
    );
  }

  private readonly answers: TtlCache<PipelineSchemasResponse>;

  private constructor(
    private readonly registries: SchemaRegistries,
    private readonly streaming: StreamingConfig,
    cacheTtlMs: number,
    private readonly sampleLimits: SampleLimits,
    private readonly sampler: TopicSampler,
    private readonly logger: LoggerService,
  ) {
    this.answers = new TtlCache(cacheTtlMs);
  }

  /**
   * The registry subject the pipeline's spec names as its schema, else the
   * subjects of its source topics in the registries serving its Kafka
   * cluster. A registry that fails, or that app-config does not name, is an
   * entry of `errors`.
   */
  async getPipelineSchemas(
    pipeline: PipelineEntity,
  ): Promise<PipelineSchemasResponse> {
    return this.answers.get(
      `${pipeline.entityRef}\u0000${pipeline.revision}`,
      async () => {
        const subjects: PipelineSchemaSubject[] = [];
        const errors: SourceError[] = [];
        const cluster = pipeline.kafkaCluster;
        const topics =
          pipeline.summary.source.type === 'delta'
            ? []
            : pipeline.summary.source.topics;
        const pinned = Number(
          pipeline.entity.metadata.annotations?.[
            ANNOTATION_PIPELINE_SCHEMA_VERSION
          ],
        );
        // The subject the spec names, else each source topic's
        // `<topic>-value` in every registry serving the Kafka cluster.
        const named = pipeline.summary.source.schemaSubject;
        const lookups = named
          ? [
              {
                registry: named.registry,
                subject: named.subject,
                topic: topics[0],
              },
            ]
          : (cluster ? this.registries.forKafkaCluster(cluster) : []).flatMap(
              registry =>
                topics.map(topic => ({
                  registry,
                  subject: `${topic}-value`,
                  topic,
                })),
            );
        for (const { registry, subject: name, topic } of lookups) {
          try {
            const subject = await this.describe(
              registry,
              name,
              topic,
              Number.isInteger(pinned) && pinned > 0 ? pinned : undefined,
            );
            if (subject) subjects.push(subject);
          } catch (error) {
            errors.push({
              source: `schema-registry:${registry}`,
              message: toError(error).message,
            });
          }
        }
        return { entityRef: pipeline.entityRef, subjects, errors };
      },
    );
  }

  private async describe(
    registry: string,
    subject: string,
    topic: string,
    pinned: number | undefined,
  ): Promise<PipelineSchemaSubject | undefined> {
    const client = this.registries.get(registry);
    const latest = await client.findLatest(subject);
    if (!latest) {
      return undefined;
    }
    const [versions, compatibilityLevel] = await Promise.all([
      client.listVersions(subject),
      client.getCompatibilityLevel(subject).catch(() => null),
    ]);
    const inUse =
      pinned !== undefined && versions.includes(pinned)
        ? await client.getVersion(subject, pinned)
        : undefined;
    const check =
      inUse && inUse.version !== latest.version
        ? await client.checkCompatibility(
            subject,
            latest.schema,
            latest.schemaType,
            inUse.version,
          )
        : undefined;
    const info = async (v: RegisteredSchema) => ({
      version: v.version,
      id: v.id,
      registeredAt:
        (await client
          .registeredAt(subject, v.version)
          .catch(() => undefined)) ?? null,
    });
    return {
      registry,
      subject,
      topic,
      schemaType: latest.schemaType,
      apiEntityRef: stringifyEntityRef({
        kind: 'API',
        namespace: 'default',
        name: registrySubjectEntityName(registry, subject),
      }),
      compatibilityLevel,
      ...(inUse ? { inUse: await info(inUse) } : {}),
      latest: await info(latest),
      newerVersions: inUse ? versions.filter(v => v > inUse.version) : [],
      compatibleWithInUse: check ? check.compatible : null,
      incompatibilities: (check?.incompatibilities ?? []).map(i => ({
        ...(i.field ? { field: i.field } : {}),
        message: i.message,
      })),
    };
  }

  /**
   * Fields for a topic of a configured cluster: from the latest version of
   * its subject (`<topic>-value`) in the first registry serving the cluster
   * that has one (Avro or JSON Schema), else proposed from a sample of its
   * recent messages read as JSON.
   */
  async proposeFields(
    clusterName: string,
    topic: string,
  ): Promise<TopicFieldsResponse> {
    if (!this.streaming.kafka.clusters.some(c => c.name === clusterName)) {
      throw new NotFoundError(
        `No Kafka cluster named ${clusterName}; configured: ${
          this.streaming.kafka.clusters.map(c => c.name).join(', ') || 'none'
        }`,
      );
    }
    const base = { cluster: clusterName, topic };
    const errors: SourceError[] = [];
    const subject = `${topic}-value`;
    for (const registry of this.registries.forKafkaCluster(clusterName)) {
      let latest: RegisteredSchema | undefined;
      try {
        latest = await this.registries.get(registry).findLatest(subject);
      } catch (error) {
        errors.push({
          source: `schema-registry:${registry}`,
          message: toError(error).message,
        });
        continue;
      }
      if (!latest) continue;
      const from = { registry, subject, version: latest.version };
      if (latest.schemaType === 'PROTOBUF') {
        errors.push({
          source: `schema-registry:${registry}`,
          message: `Subject ${subject} holds Protobuf schemas: fields are not proposed from them`,
        });
        return { ...base, ...from, origin: 'none', fields: [], errors };
      }
      const proposal =
        latest.schemaType === 'AVRO'
          ? fieldsFromAvro(latest.schema)
          : fieldsFromJsonSchema(latest.schema);
      return {
        ...base,
        ...from,
        origin: 'registry',
        format: latest.schemaType === 'AVRO' ? 'avro' : 'json',
        fields: proposal.fields,
        errors: [
          ...errors,
          ...skippedErrors(proposal, `schema-registry:${registry}`),
        ],
      };
    }
    const messages = await this.sampler.sample(
      clusterName,
      topic,
      this.sampleLimits,
    );
    const proposal = fieldsFromJsonSamples(messages);
    this.logger.debug('Sampled a topic for its fields', {
      cluster: clusterName,
      topic,
      messages: messages.length,
    });
    if (proposal.unparsed > 0) {
      errors.push({
        source: `kafka:${clusterName}`,
        message: `${proposal.unparsed} of ${messages.length} sampled messages are not JSON objects`,
      });
    }
    return {
      ...base,
      origin: proposal.fields.length > 0 ? 'sample' : 'none',
      format: 'json',
      sampledMessages: messages.length,
      fields: proposal.fields,
      errors: [...errors, ...skippedErrors(proposal, `kafka:${clusterName}`)],
    };
  }
}

/** One error naming the fields left out (nested or of mixed shapes). */
function skippedErrors(proposal: FieldProposal, source: string): SourceError[] {
  return proposal.skipped.length > 0
    ? [
        {
          source,
          message: `Not proposed (nested or not one type): ${proposal.skipped.join(
            ', ',
          )}`,
        },
      ]
    : [];
}
