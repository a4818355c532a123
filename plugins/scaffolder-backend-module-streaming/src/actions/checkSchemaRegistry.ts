import { ResponseError, toError } from '@backstage/errors';
import {
  fieldsThatBreak,
  PipelineSpec,
} from '@internal/plugin-streaming-common';
import { sourceRegistrySchema } from '@internal/plugin-streaming-codegen';
import { SchemaRegistries } from '@internal/plugin-streaming-node';

/**
 * Asks each schema registry serving the source topic's Kafka cluster whether
 * the schema of the spec's inline fields may become the next version of the
 * topic's subject (TopicNameStrategy: `<topic>-value`) under the subject's
 * compatibility level. An incompatible schema is an error naming the fields
 * that break; a subject the registry does not have yet, a schema file (read
 * by the job, not here) or an unreachable registry is a warning.
 */
export async function checkSchemaRegistry(
  spec: PipelineSpec,
  registries: SchemaRegistries,
  defaultCluster: string | undefined,
): Promise<{ errors: string[]; warnings: string[] }> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const { source } = spec.pipeline;
  if (source.type === 'delta') {
    return { errors, warnings };
  }
  if (source.type === 'kafka' && typeof source.schema === 'object') {
    // The schema is the registry's own version: there is nothing to be
    // compatible with, but the registry must have it.
    const { registry, subject, version } = source.schema;
    if (!registries.names().includes(registry)) {
      errors.push(
        `pipeline.source.schema.registry: no schema registry named ${registry} in app-config (streaming.schemaRegistries); configured: ${
          registries.names().join(', ') || 'none'
        }`,
      );
      return { errors, warnings };
    }
    try {
      await registries.get(registry).getVersion(subject, version);
    } catch (error) {
      if (error instanceof ResponseError && error.statusCode === 404) {
        errors.push(
          `pipeline.source.schema: schema registry ${registry} has no ${
            version === 'latest' ? 'version' : `version ${version}`
          } of subject ${subject}`,
        );
      } else {
        warnings.push(
          `pipeline.source.schema: subject ${subject} of schema registry ${registry} not checked: ${
            toError(error).message
          }`,
        );
      }
    }
    return { errors, warnings };
  }
  const cluster = source.cluster ?? defaultCluster;
  const names = cluster ? registries.forKafkaCluster(cluster) : [];
  if (names.length === 0) {
    return { errors, warnings };
  }
  const subject = `${source.topic}-value`;
  const schema = sourceRegistrySchema(spec);
  for (const name of names) {
    const client = registries.get(name);
    try {
      const latest = await client.findLatest(subject);
      if (!latest) {
        continue; // a new subject: nothing to be compatible with
      }
      if (!schema) {
        warnings.push(
          `pipeline.source.schema: compatibility with subject ${subject} of schema registry ${name} not checked: the schema comes from a file`,
        );
        continue;
      }
      if (latest.schemaType !== schema.schemaType) {
        errors.push(
          `pipeline.source.format: subject ${subject} of schema registry ${name} holds ${latest.schemaType} schemas, the spec reads ${schema.schemaType}`,
        );
        continue;
      }
      const [level, result] = await Promise.all([
        client.getCompatibilityLevel(subject),
        client.checkCompatibility(subject, schema.schema, schema.schemaType),
      ]);
      if (!result.compatible) {
        const fields = fieldsThatBreak(result.incompatibilities);
        errors.push(
          `pipeline.source.fields: not ${level} compatible with version ${
            latest.version
          } of subject ${subject} in schema registry ${name}${
            fields.length > 0 ? `; fields that break: ${fields.join(', ')}` : ''
          }`,
        );
      }
    } catch (error) {
      warnings.push(
        `pipeline.source: compatibility with subject ${subject} of schema registry ${name} not checked: ${
          toError(error).message
        }`,
      );
    }
  }
  return { errors, warnings };
}
