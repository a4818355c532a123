import { InputError, ResponseError } from '@backstage/errors';
import {
  PipelineSpec,
  registrySchemaFile,
} from '@internal/plugin-streaming-common';
import type { GeneratedFile } from '@internal/plugin-streaming-codegen';
import { SchemaRegistries } from '@internal/plugin-streaming-node';
import { parseDocument } from 'yaml';

/** A spec whose registry subject (if any) is resolved to a version and its schema. */
export interface ResolvedRegistrySchema {
  /** The spec, its subject's version pinned (`latest` replaced by the number). */
  spec: PipelineSpec;
  /** The spec text with the same pin, comments and layout kept (when text was given). */
  specText?: string;
  /** The pinned version's schema, the reader schema the job reads, at `registrySchemaFile(subject)`. */
  file?: GeneratedFile;
  /** What was resolved. */
  schema?: { registry: string; subject: string; version: number; id: number };
}

/**
 * Resolves the registry subject a Kafka source's `schema` names: asks the
 * registry (named in app-config, never a URL from the spec) for the version
 * (`latest` or a number), checks it is an Avro record, and pins the version in
 * the spec so that the repository is built, and stays, for it. Specs without a
 * subject come back as they are.
 */
export async function resolveRegistrySchema(
  spec: PipelineSpec,
  specText: string | undefined,
  registries: SchemaRegistries | undefined,
): Promise<ResolvedRegistrySchema> {
  const { source } = spec.pipeline;
  if (source.type !== 'kafka' || typeof source.schema !== 'object') {
    return { spec, specText };
  }
  const { registry, subject, version } = source.schema;
  if (!registries) {
    throw new InputError(
      `pipeline.source.schema: no schema registries are configured (streaming.schemaRegistries), so subject ${subject} of ${registry} cannot be read`,
    );
  }
  const client = registries.get(registry);
  let found;
  try {
    found = await client.getVersion(subject, version);
  } catch (error) {
    if (error instanceof ResponseError && error.statusCode === 404) {
      throw new InputError(
        `pipeline.source.schema: schema registry ${registry} has no ${
          version === 'latest' ? 'version' : `version ${version}`
        } of subject ${subject}`,
      );
    }
    throw error;
  }
  if (found.schemaType !== 'AVRO') {
    throw new InputError(
      `pipeline.source.schema: subject ${subject} of schema registry ${registry} holds ${found.schemaType} schemas; the pipeline reads Avro`,
    );
  }
  let record: unknown;
  try {
    record = JSON.parse(found.schema);
  } catch {
    record = undefined;
  }
  if (
    typeof record !== 'object' ||
    record === null ||
    (record as { type?: unknown }).type !== 'record'
  ) {
    throw new InputError(
      `pipeline.source.schema: version ${found.version} of subject ${subject} in schema registry ${registry} is not an Avro record`,
    );
  }
  const pinned: PipelineSpec = {
    ...spec,
    pipeline: {
      ...spec.pipeline,
      source: {
        ...source,
        schema: { ...source.schema, version: found.version },
      },
    },
  };
  let pinnedText: string | undefined;
  if (specText !== undefined) {
    const doc = parseDocument(specText);
    doc.setIn(['pipeline', 'source', 'schema', 'version'], found.version);
    pinnedText = doc.toString();
  }
  return {
    spec: pinned,
    specText: pinnedText,
    file: {
      path: registrySchemaFile(subject),
      content: `${JSON.stringify(record, null, 2)}\n`,
    },
    schema: { registry, subject, version: found.version, id: found.id },
  };
}
