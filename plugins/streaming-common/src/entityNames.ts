/**
 * Deterministic, collision-free catalog entity names for the physical things a
 * pipeline touches (Kafka topics, Delta tables, Elasticsearch indexes, CDC
 * source tables, schema files).
 *
 * A name is `<prefix>.<part>.<part>...` when that spelling can be read back
 * unambiguously and fits the catalog's rules (letters, digits and single
 * `-`, `_`, `.` separators, at most 63 characters, compared case-insensitively).
 * Otherwise it is a sanitized, shortened spelling followed by `--` and a hash of
 * the exact physical identity. Readable names never contain `--`, so the two
 * forms never meet; hashed names differ whenever their identities differ (up to
 * a 48-bit hash). The physical names themselves are kept, exactly, in the
 * entity's annotations.
 */

/** The catalog's limit on `metadata.name`. */
const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 12;
/** Every part but the last: no `.`, so the `.` after it splits unambiguously. */
const LEADING_PART = /^[a-z0-9]+(?:[_-][a-z0-9]+)*$/;
/** The last part: single separators between lowercase letters and digits. */
const LAST_PART = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * FNV-1a, 64 bits, over the UTF-8 bytes of the text; isomorphic and synchronous.
 */
function fnv1a64(text: string): string {
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * prime) & mask;
  }
  return hash.toString(16).padStart(16, '0');
}

function sanitize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** @public */
export interface DeriveEntityNameOptions {
  /**
   * Whether things of this prefix have a varying number of parts (path
   * segments). Then no part may contain a `.`, else the last one may.
   */
  variableParts?: boolean;
  /** What the hashed form shows (its end when too long); default the parts. */
  readableHint?: string;
  /** Use the hashed form even when the parts would read back. */
  alwaysHash?: boolean;
}

/**
 * The entity name for a thing identified by `parts` under a kind `prefix`.
 * Prefer the specific functions below.
 *
 * @public
 */
export function deriveEntityName(
  prefix: string,
  parts: string[],
  options: DeriveEntityNameOptions = {},
): string {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(prefix) || parts.length === 0) {
    throw new TypeError(`Invalid entity name prefix or parts: ${prefix}`);
  }
  const leading = options.variableParts ? parts : parts.slice(0, -1);
  const last = parts[parts.length - 1];
  const readable = [prefix, ...parts].join('.');
  if (
    !options.alwaysHash &&
    leading.every(part => LEADING_PART.test(part)) &&
    LAST_PART.test(last) &&
    readable.length <= MAX_NAME_LENGTH
  ) {
    return readable;
  }
  const hash = fnv1a64(JSON.stringify([prefix, ...parts])).slice(
    0,
    HASH_LENGTH,
  );
  const room = MAX_NAME_LENGTH - prefix.length - 1 - 2 - HASH_LENGTH;
  const sanitized = sanitize(options.readableHint ?? parts.join('-'));
  const shortened =
    sanitized.length <= room
      ? sanitized
      : sanitized.slice(-room).replace(/^[^-]*-/, '');
  return shortened ? `${prefix}.${shortened}--${hash}` : `${prefix}--${hash}`;
}

/**
 * `kafka-topic` Resource: `topic.<cluster>.<topic>`, e.g. `topic.local.events`.
 *
 * @public
 */
export function kafkaTopicEntityName(cluster: string, topic: string): string {
  return deriveEntityName('topic', [cluster, topic]);
}

/**
 * `API` entity of a schema registry's subject: `schema-subject.<registry>.<subject>`
 * when it reads back.
 *
 * @public
 */
export function registrySubjectEntityName(
  registry: string,
  subject: string,
): string {
  return deriveEntityName('schema-subject', [registry, subject]);
}

/**
 * `delta-table` Resource, from its location. An absolute path becomes
 * `delta.<segments>` (`/data/delta/event_summary` is
 * `delta.data.delta.event_summary`), a URI `delta-<scheme>.<segments>`
 * (`s3a://lake/silver/orders` is `delta-s3a.lake.silver.orders`); anything else
 * is hashed. Empty segments and a trailing `/` do not make another table.
 *
 * @public
 */
export function deltaTableEntityName(location: string): string {
  const uri = /^([a-z0-9]+):\/\/(.*)$/.exec(location);
  const path = uri ? uri[2] : location;
  const segments = path.split('/').filter(segment => segment.length > 0);
  if ((uri || location.startsWith('/')) && segments.length > 0) {
    return deriveEntityName(uri ? `delta-${uri[1]}` : 'delta', segments, {
      variableParts: true,
    });
  }
  return deriveEntityName('delta', [location], { alwaysHash: true });
}

/**
 * `elasticsearch-index` Resource: `es.<index>`, or `es.<cluster>.<index>` when
 * the index lives on a named cluster (or node list).
 *
 * @public
 */
export function elasticsearchIndexEntityName(
  index: string,
  cluster?: string,
): string {
  return deriveEntityName('es', cluster ? [cluster, index] : [index]);
}

/**
 * `database-table` Resource for a CDC source: `db.<database>.<schema.table>`,
 * e.g. `db.accounts.public.users`.
 *
 * @public
 */
export function databaseTableEntityName(
  database: string,
  table: string,
): string {
  return deriveEntityName('db', [database, table]);
}

/**
 * `kafka-connector` Resource: `connector.<connect cluster>.<connector>`, e.g.
 * `connector.local.cdc-postgres-users`.
 *
 * @public
 */
export function kafkaConnectorEntityName(
  cluster: string,
  connector: string,
): string {
  return deriveEntityName('connector', [cluster, connector]);
}

/**
 * API entity of a schema file, identified by its absolute URL (or file path):
 * `schema.<file name>--<hash of the URL>`, since a location never reads back
 * from its file name alone. The same file referenced from many pipelines is one
 * entity.
 *
 * @public
 */
export function schemaEntityName(schemaUrl: string): string {
  const fileName = schemaUrl.split(/[/\\]/).pop() ?? '';
  return deriveEntityName('schema', [schemaUrl], {
    alwaysHash: true,
    readableHint: fileName.replace(/\.[^.]*$/, ''),
  });
}
