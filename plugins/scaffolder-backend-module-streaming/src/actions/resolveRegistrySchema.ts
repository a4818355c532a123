import { InputError, ResponseError } from '@backstage/errors';
import {
  PipelineSpec,
  registrySchemaFile,
} from '@internal/plugin-streaming-common';
import type { GeneratedFile } from '@internal/plugin-streaming-codegen';
import { SchemaRegistries } from '@internal/plugin-streaming-node';
import { parseDocument } from 'yaml';
import { protoMessages } from './protoMessages';

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

/** The registry's schema type a payload format reads, and its top-level `type`. */
const REGISTRY_SCHEMA_TYPES = {
  avro: { type: 'AVRO', top: 'record', what: 'an Avro record' },
  json: { type: 'JSON', top: 'object', what: 'a JSON Schema of an object' },
  protobuf: { type: 'PROTOBUF', top: undefined, what: 'a .proto' },
} as const;

const JSON_SCHEMA_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'object',
  'array',
];

/**
 * The properties of a JSON Schema object (nested objects' and array items'
 * included, as `a.b` and `a[]`) whose column the job cannot derive: no
 * `type`, or none it reads (`$ref`, `anyOf`, ... are not followed; a
 * property typed `["x", "null"]` is a nullable x).
 */
function unreadJsonProperties(node: unknown, path = ''): string[] {
  const { type, properties, items } = node as {
    type?: unknown;
    properties?: Record<string, unknown>;
    items?: unknown;
  };
  const types = (Array.isArray(type) ? type : [type]).filter(t => t !== 'null');
  if (types.length !== 1 || !JSON_SCHEMA_TYPES.includes(types[0] as string)) {
    return [path];
  }
  if (types[0] === 'object') {
    return Object.entries(properties ?? {}).flatMap(([name, child]) =>
      typeof child === 'object' && child !== null
        ? unreadJsonProperties(child, path ? `${path}.${name}` : name)
        : [path ? `${path}.${name}` : name],
    );
  }
  if (types[0] === 'array' && typeof items === 'object' && items !== null) {
    return unreadJsonProperties(items, `${path}[]`);
  }
  return [];
}

/**
 * Resolves the registry subject a Kafka source's `schema` names: asks the
 * registry (named in app-config, never a URL from the spec) for the version
 * (`latest` or a number), checks it is a schema of the source's format (an
 * Avro record, a JSON Schema object whose properties the job reads into
 * columns, or a .proto that declares the message the job reads and imports
 * nothing), and pins the version in
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
  const expected = REGISTRY_SCHEMA_TYPES[source.format];
  if (found.schemaType !== expected.type) {
    throw new InputError(
      `pipeline.source.schema: subject ${subject} of schema registry ${registry} holds ${found.schemaType} schemas; the pipeline reads ${source.format} payloads (format: ${source.format}), which need ${expected.type} schemas`,
    );
  }
  const at = `version ${found.version} of subject ${subject} in schema registry ${registry}`;
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
  const resolved = (content: string): ResolvedRegistrySchema => ({
    spec: pinned,
    specText: pinnedText,
    file: { path: registrySchemaFile(subject, source.format), content },
    schema: { registry, subject, version: found.version, id: found.id },
  });
  if (source.format === 'protobuf') {
    const { messages, imports } = protoMessages(found.schema);
    if (imports.length > 0) {
      throw new InputError(
        `pipeline.source.schema: ${at} imports other files (${imports.join(
          ', ',
        )}): the job's descriptor set is built from this one .proto, so its messages must not use imported types`,
      );
    }
    const { message } = source.schema;
    if (messages.length === 0) {
      throw new InputError(`pipeline.source.schema: ${at} declares no message`);
    }
    if (message !== undefined && !messages.includes(message)) {
      throw new InputError(
        `pipeline.source.schema.message: ${at} has no message ${message}; it has ${messages.join(
          ', ',
        )}`,
      );
    }
    return resolved(
      found.schema.endsWith('\n') ? found.schema : `${found.schema}\n`,
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
    (record as { type?: unknown }).type !== expected.top
  ) {
    throw new InputError(
      `pipeline.source.schema: ${at} is not ${expected.what}`,
    );
  }
  if (source.format === 'json') {
    const unread = unreadJsonProperties(record);
    if (unread.length > 0) {
      throw new InputError(
        `pipeline.source.schema: ${at} has properties the job cannot derive a column from (${unread.join(
          ', ',
        )}): each needs a type (string, integer, number, boolean, object or array); $ref and combinators (anyOf, oneOf, allOf) are not followed`,
      );
    }
  }
  return resolved(`${JSON.stringify(record, null, 2)}\n`);
}
