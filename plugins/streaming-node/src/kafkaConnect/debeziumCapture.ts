import { ConnectorInfo } from './KafkaConnectClient';

/** A name of `table.include.list` that is not a pattern: an identifier. */
const NAME = '[A-Za-z_][A-Za-z0-9_$]*';
/** A two-part entry that is a name, not a pattern (`public.users`, `public\.users`). */
const PLAIN_ENTRY = new RegExp(`^(${NAME})\\\\?\\.(${NAME})$`);

const DEBEZIUM_CLASS_PREFIX = 'io.debezium.connector.';

/**
 * How a Debezium connector names what it captures, by its `connector.class`:
 *
 * - `schema` (PostgreSQL, Oracle, Db2, Informix): one database
 *   (`database.dbname`); include-list entries and topics name
 *   `<schema>.<table>`, topics `<topic.prefix>.<schema>.<table>`.
 * - `database` (MySQL, MariaDB): entries and topics name
 *   `<database>.<table>`, topics `<topic.prefix>.<database>.<table>`.
 * - `databaseSchema` (SQL Server): entries name `<schema>.<table>` of each
 *   database of `database.names`; topics
 *   `<topic.prefix>.<database>.<schema>.<table>`.
 */
type Naming = 'schema' | 'database' | 'databaseSchema';

function namingOf(connectorClass: string): Naming {
  const family = connectorClass
    .slice(DEBEZIUM_CLASS_PREFIX.length)
    .split('.')[0];
  if (family === 'mysql' || family === 'mariadb') return 'database';
  if (family === 'sqlserver') return 'databaseSchema';
  return 'schema';
}

/**
 * A table a Debezium source connector captures.
 *
 * @public
 */
export interface CapturedTable {
  /** Its database; undefined when the connector's config does not name it. */
  database?: string;
  /** Its name within the database: `schema.table`, or `table` for MySQL and MariaDB. */
  table: string;
  /** The topic its changes are written to. */
  topic: string;
}

/**
 * What a Debezium source connector captures.
 *
 * @public
 */
export interface DebeziumCapture {
  /** The captured tables, sorted by topic. */
  tables: CapturedTable[];
  /** Their topics, sorted. */
  topics: string[];
}

/** Whether the connector is one of Debezium's (by its `connector.class`). */
export function isDebeziumConnector(connector: ConnectorInfo): boolean {
  return (
    connector.config['connector.class']?.startsWith(DEBEZIUM_CLASS_PREFIX) ??
    false
  );
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map(item => item.trim())
    .filter(item => item.length > 0);

/**
 * The tables a Debezium source connector captures and the topics it writes
 * them to: the plain names of its `table.include.list` (its entries are
 * regular expressions; `public.users` and `public\.users` name one table,
 * `public.*` names none) and the tables of the topics Connect saw it write
 * under its `topic.prefix` (which also covers patterns and a connector that
 * lists databases, not tables). Each connector family's naming is read (see
 * {@link Naming}). Empty for other connectors. The one place that reads
 * Debezium's topic naming, for the catalog and the pipeline page alike.
 *
 * @public
 */
export function debeziumCapture(
  connector: ConnectorInfo,
  activeTopics: readonly string[],
): DebeziumCapture {
  const { config } = connector;
  const prefix = config['topic.prefix'];
  if (connector.type !== 'source' || !isDebeziumConnector(connector) || !prefix)
    return { tables: [], topics: [] };
  const naming = namingOf(config['connector.class']!);
  const byTopic = new Map<string, CapturedTable>();
  const add = (database: string | undefined, table: string) => {
    const topic =
      naming === 'databaseSchema'
        ? `${prefix}.${database}.${table}`
        : `${prefix}.${table}`;
    byTopic.set(topic, {
      ...(naming === 'database'
        ? { database: table.split('.')[0], table: table.split('.')[1] }
        : { database, table }),
      topic,
    });
  };
  const databases =
    naming === 'databaseSchema'
      ? list(config['database.names'])
      : [config['database.dbname'] || undefined];
  for (const entry of list(config['table.include.list'])) {
    const plain = PLAIN_ENTRY.exec(entry);
    if (!plain) continue;
    for (const database of databases) add(database, `${plain[1]}.${plain[2]}`);
  }
  for (const topic of activeTopics) {
    if (!topic.startsWith(`${prefix}.`)) continue;
    const parts = topic.slice(prefix.length + 1).split('.');
    if (naming === 'databaseSchema') {
      if (parts.length === 3) add(parts[0], `${parts[1]}.${parts[2]}`);
    } else if (parts.length === 2) {
      add(databases[0], parts.join('.'));
    }
  }
  const topics = [...byTopic.keys()].sort();
  return { tables: topics.map(topic => byTopic.get(topic)!), topics };
}
