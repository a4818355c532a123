import {
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KAFKA_TOPIC,
  ANNOTATION_SCHEMA_ID,
  ANNOTATION_SCHEMA_REGISTRY,
  ANNOTATION_SCHEMA_SUBJECT,
  ANNOTATION_SCHEMA_VERSIONS,
  ENTITY_TYPE_AVRO_SCHEMA,
  ENTITY_TYPE_JSON_SCHEMA,
  ENTITY_TYPE_PROTOBUF_SCHEMA,
  RegisteredSchema,
  RegistrySchemaType,
  registrySubjectEntityName,
} from '@internal/plugin-streaming-common';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ApiEntity,
} from '@backstage/catalog-model';

/** The `spec.type` of each registry schema type (what api-docs shows as its title). */
const API_TYPES: Record<RegistrySchemaType, string> = {
  AVRO: ENTITY_TYPE_AVRO_SCHEMA,
  JSON: ENTITY_TYPE_JSON_SCHEMA,
  PROTOBUF: ENTITY_TYPE_PROTOBUF_SCHEMA,
};

/**
 * The topic a subject names by Confluent's default TopicNameStrategy
 * (`<topic>-value`, `<topic>-key`); undefined for other subjects.
 */
export function topicOfSubject(subject: string): string | undefined {
  return /^(.+)-(?:value|key)$/.exec(subject)?.[1];
}

/** JSON schemas pretty-printed for reading; a .proto as it is. */
function readable(schema: RegisteredSchema): string {
  if (schema.schemaType === 'PROTOBUF') {
    return schema.schema;
  }
  try {
    return JSON.stringify(JSON.parse(schema.schema), null, 2);
  } catch {
    return schema.schema;
  }
}

/**
 * The `API` entity of a registry subject: its latest version as
 * `spec.definition`, the registry, subject, versions and id in annotations,
 * and the topic and cluster it describes when the subject follows the
 * TopicNameStrategy.
 */
export function registrySubjectEntity(options: {
  registry: string;
  registryUrl: string;
  kafkaCluster?: string;
  latest: RegisteredSchema;
  versions: number[];
  owner: string;
}): ApiEntity {
  const { registry, registryUrl, kafkaCluster, latest, versions, owner } =
    options;
  const location = `url:${registryUrl}/subjects/${encodeURIComponent(
    latest.subject,
  )}/versions/latest`;
  const topic = topicOfSubject(latest.subject);
  const type = API_TYPES[latest.schemaType];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: registrySubjectEntityName(registry, latest.subject),
      title: latest.subject,
      description: `Subject ${
        latest.subject
      } of schema registry ${registry}: version ${latest.version} (${
        versions.length
      } version${versions.length === 1 ? '' : 's'}).`,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ANNOTATION_SCHEMA_REGISTRY]: registry,
        [ANNOTATION_SCHEMA_SUBJECT]: latest.subject,
        [ANNOTATION_SCHEMA_VERSIONS]: versions.join(','),
        [ANNOTATION_SCHEMA_ID]: String(latest.id),
        ...(topic && kafkaCluster
          ? {
              [ANNOTATION_KAFKA_TOPIC]: topic,
              [ANNOTATION_KAFKA_CLUSTER]: kafkaCluster,
            }
          : {}),
      },
      tags: [type, 'schema-registry'],
    },
    spec: {
      type,
      lifecycle: 'production',
      owner,
      definition: readable(latest),
    },
  };
}
