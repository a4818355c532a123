import { ResponseError } from '@backstage/errors';
import { z } from 'zod';

/**
 * The schema types of the Confluent Schema Registry API.
 *
 * @public
 */
export type RegistrySchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

/**
 * A compatibility level of the Confluent Schema Registry API.
 *
 * @public
 */
export type CompatibilityLevel = z.infer<typeof compatibilityLevelSchema>;

const compatibilityLevelSchema = z.enum([
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
]);

/**
 * One version of a subject.
 *
 * @public
 */
export interface RegisteredSchema {
  subject: string;
  version: number;
  /** The registry-wide schema id (the one Confluent's wire format carries). */
  id: number;
  schemaType: RegistrySchemaType;
  /** The schema's text (Avro or JSON Schema JSON, or a .proto file). */
  schema: string;
}

/**
 * One reason a schema is not compatible: the field it concerns when the
 * registry names one, its path in the schema, and the registry's words.
 *
 * @public
 */
export interface SchemaIncompatibility {
  field?: string;
  path?: string;
  message: string;
}

/**
 * The registry's answer to a compatibility check.
 *
 * @public
 */
export interface CompatibilityResult {
  compatible: boolean;
  incompatibilities: SchemaIncompatibility[];
}

/**
 * Connection settings of one registry.
 *
 * @public
 */
export interface SchemaRegistryClientOptions {
  /** Base URL of the Confluent-compatible API (Apicurio: `…/apis/ccompat/v7`). */
  url: string;
  username?: string;
  password?: string;
  /** Milliseconds before a request is abandoned. */
  requestTimeoutMs: number;
}

const schemaTypeSchema = z
  .enum(['AVRO', 'JSON', 'PROTOBUF'])
  .optional()
  .transform(t => t ?? 'AVRO');

const versionSchema = z.object({
  subject: z.string(),
  version: z.number().int(),
  id: z.number().int(),
  schemaType: schemaTypeSchema,
  schema: z.string(),
});

const compatibilitySchema = z.object({
  is_compatible: z.boolean(),
  messages: z.array(z.string()).optional(),
});

/** Apicurio's native rule violation (`RuleViolationProblemDetails`). */
const ruleViolationSchema = z.object({
  causes: z
    .array(z.object({ description: z.string(), context: z.string() }))
    .optional(),
});

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * Confluent's verbose messages: `{errorType:'…', description:'The field 'x'
 * at path '/fields/1' …', additionalInfo:'x'}`. Lines that are not about an
 * error (`{oldSchemaVersion: 1}`, `{compatibility: 'BACKWARD'}`) are left out.
 */
function fromConfluentMessages(messages: string[]): SchemaIncompatibility[] {
  return messages
    .filter(m => m.includes('errorType:'))
    .map(message => {
      const field =
        /additionalInfo:'([^']+)'/.exec(message)?.[1] ??
        /field '([^']+)'/.exec(message)?.[1];
      const path = /path '([^']+)'/.exec(message)?.[1];
      return {
        ...(field ? { field } : {}),
        ...(path ? { path } : {}),
        message,
      };
    });
}

/**
 * A client of the Confluent Schema Registry REST API, the API Confluent's
 * registry, Apicurio Registry (`/apis/ccompat/v7`) and Karapace serve. Every
 * request carries the registry's credentials and a timeout; errors carry the
 * status and the registry's message, never a credential.
 *
 * @public
 */
export class SchemaRegistryClient {
  readonly #options: SchemaRegistryClientOptions;
  readonly #authorization?: string;

  constructor(options: SchemaRegistryClientOptions) {
    this.#options = { ...options, url: options.url.replace(/\/+$/, '') };
    this.#authorization =
      options.username !== undefined
        ? `Basic ${base64(`${options.username}:${options.password ?? ''}`)}`
        : undefined;
  }

  /** The API's base URL. */
  get url(): string {
    return this.#options.url;
  }

  /** Every subject, sorted. */
  async listSubjects(): Promise<string[]> {
    const subjects = z.array(z.string()).parse(await this.#json('/subjects'));
    return subjects.sort();
  }

  /** The version numbers of a subject, oldest first. */
  async listVersions(subject: string): Promise<number[]> {
    return z
      .array(z.number().int())
      .parse(await this.#json(`/subjects/${enc(subject)}/versions`));
  }

  /** One version of a subject (`latest` by default). */
  async getVersion(
    subject: string,
    version: number | 'latest' = 'latest',
  ): Promise<RegisteredSchema> {
    return versionSchema.parse(
      await this.#json(`/subjects/${enc(subject)}/versions/${version}`),
    );
  }

  /** The latest version of a subject, or undefined when there is no such subject. */
  async findLatest(subject: string): Promise<RegisteredSchema | undefined> {
    const response = await this.#request(
      'GET',
      `/subjects/${enc(subject)}/versions/latest`,
    );
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return versionSchema.parse(await response.json());
  }

  /**
   * The version of a subject that holds `schema` (as the registry compares
   * schemas), or undefined when none does or there is no such subject.
   */
  async findVersion(
    subject: string,
    schema: string,
    schemaType: RegistrySchemaType,
  ): Promise<RegisteredSchema | undefined> {
    const response = await this.#request('POST', `/subjects/${enc(subject)}`, {
      schema,
      schemaType,
    });
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return versionSchema.parse(await response.json());
  }

  /** The schema of a registry-wide id. */
  async getSchemaById(
    id: number,
  ): Promise<{ schemaType: RegistrySchemaType; schema: string }> {
    return z
      .object({ schemaType: schemaTypeSchema, schema: z.string() })
      .parse(await this.#json(`/schemas/ids/${id}`));
  }

  /** Registers a schema under a subject (a new version unless it is already one); its id. */
  async register(
    subject: string,
    schema: string,
    schemaType: RegistrySchemaType,
  ): Promise<number> {
    const { id } = z.object({ id: z.number().int() }).parse(
      await this.#json(`/subjects/${enc(subject)}/versions`, 'POST', {
        schema,
        schemaType,
      }),
    );
    return id;
  }

  /** The subject's compatibility level (the registry's global one when it has none). */
  async getCompatibilityLevel(subject: string): Promise<CompatibilityLevel> {
    let response = await this.#request(
      'GET',
      `/config/${enc(subject)}?defaultToGlobal=true`,
    );
    if (response.status === 404) {
      response = await this.#request('GET', '/config');
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return z
      .object({ compatibilityLevel: compatibilityLevelSchema })
      .parse(await response.json()).compatibilityLevel;
  }

  /** Sets the subject's compatibility level. */
  async setCompatibilityLevel(
    subject: string,
    level: CompatibilityLevel,
  ): Promise<void> {
    await this.#json(`/config/${enc(subject)}`, 'PUT', {
      compatibility: level,
    });
  }

  /** Deletes a subject and its versions for good (soft, then permanent). */
  async deleteSubject(subject: string): Promise<void> {
    await this.#json(`/subjects/${enc(subject)}`, 'DELETE');
    await this.#json(`/subjects/${enc(subject)}?permanent=true`, 'DELETE');
  }

  /**
   * Whether `schema` may become the subject's next version under the
   * subject's compatibility level, checked by the registry against its latest
   * version, with the reasons when it may not. Confluent's registry gives them
   * in `messages` (`verbose=true`); Apicurio's ccompat API does not, so for a
   * URL ending in `/apis/ccompat/vN` they come from Apicurio's own API, which
   * checks the same rules without registering (`dryRun=true`), for checks
   * against the latest version. `version` checks against an earlier one.
   */
  async checkCompatibility(
    subject: string,
    schema: string,
    schemaType: RegistrySchemaType,
    version: number | 'latest' = 'latest',
  ): Promise<CompatibilityResult> {
    const result = compatibilitySchema.parse(
      await this.#json(
        `/compatibility/subjects/${enc(
          subject,
        )}/versions/${version}?verbose=true`,
        'POST',
        { schema, schemaType },
      ),
    );
    if (result.is_compatible) {
      return { compatible: true, incompatibilities: [] };
    }
    let incompatibilities = fromConfluentMessages(result.messages ?? []);
    if (incompatibilities.length === 0 && version === 'latest') {
      incompatibilities = await this.#apicurioCauses(
        subject,
        schema,
        schemaType,
      );
    }
    return { compatible: false, incompatibilities };
  }

  /**
   * When a version was registered, for registries that tell: Apicurio's own
   * API does (`createdOn`) for a URL ending in `/apis/ccompat/vN`; the
   * Confluent API does not, and then this is undefined.
   */
  async registeredAt(
    subject: string,
    version: number,
  ): Promise<string | undefined> {
    const base = this.#apicurioBase();
    if (!base) {
      return undefined;
    }
    const response = await this.#request(
      'GET',
      `${base}/apis/registry/v3/groups/default/artifacts/${enc(
        subject,
      )}/versions/${version}`,
    );
    if (!response.ok) {
      return undefined;
    }
    const parsed = z
      .object({ createdOn: z.string() })
      .safeParse(await response.json().catch(() => undefined));
    return parsed.success
      ? new Date(parsed.data.createdOn).toISOString()
      : undefined;
  }

  #apicurioBase(): string | undefined {
    return /^(.*)\/apis\/ccompat\/v\d+$/.exec(this.#options.url)?.[1];
  }

  async #apicurioCauses(
    subject: string,
    schema: string,
    schemaType: RegistrySchemaType,
  ): Promise<SchemaIncompatibility[]> {
    const base = this.#apicurioBase();
    if (!base) {
      return [];
    }
    const response = await this.#request(
      'POST',
      `${base}/apis/registry/v3/groups/default/artifacts/${enc(
        subject,
      )}/versions?dryRun=true`,
      {
        content: {
          content: schema,
          contentType:
            schemaType === 'PROTOBUF'
              ? 'application/x-protobuf'
              : 'application/json',
        },
      },
      'application/json',
    );
    if (response.ok || response.status === 404) {
      return [];
    }
    const parsed = ruleViolationSchema.safeParse(
      await response.json().catch(() => undefined),
    );
    // Avro causes are the field's name at /fields/N; JSON Schema causes are a
    // kind of change ("Subschema type changed") at /properties/<field>.
    return (parsed.success ? parsed.data.causes ?? [] : []).map(cause => ({
      field:
        /\/properties\/([^/]+)$/.exec(cause.context)?.[1] ?? cause.description,
      path: cause.context,
      message: `${cause.description} at ${cause.context}`,
    }));
  }

  async #request(
    method: string,
    pathOrUrl: string,
    body?: unknown,
    contentType = CONTENT_TYPE,
  ): Promise<Response> {
    const url = pathOrUrl.startsWith('/')
      ? `${this.#options.url}${pathOrUrl}`
      : pathOrUrl;
    return fetch(url, {
      method,
      headers: {
        Accept: `${CONTENT_TYPE}, application/json`,
        ...(body !== undefined ? { 'Content-Type': contentType } : {}),
        ...(this.#authorization ? { Authorization: this.#authorization } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(this.#options.requestTimeoutMs),
    });
  }

  async #json(path: string, method = 'GET', body?: unknown): Promise<unknown> {
    const response = await this.#request(method, path, body);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

/** Base64 of the UTF-8 bytes of `text` (in Node.js and browsers alike). */
function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}
