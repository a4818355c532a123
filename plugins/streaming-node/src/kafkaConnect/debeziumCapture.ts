import { ConnectorInfo } from './KafkaConnectClient';

/** A `schema.table` entry of `table.include.list` that is a name, not a pattern (`public.users`, `public\.users`). */
const PLAIN_TABLE = /^([A-Za-z_][A-Za-z0-9_$]*)\\?\.([A-Za-z_][A-Za-z0-9_$]*)$/;

const DEBEZIUM_CLASS_PREFIX = 'io.debezium.connector.';

/**
 * What a Debezium source connector captures.
 *
 * @public
 */
export interface DebeziumCapture {
  /** The captured tables as `schema.table`, sorted. */
  tables: string[];
  /** The topics it writes them to, `<topic.prefix>.<schema>.<table>`, sorted. */
  topics: string[];
}

/** Whether the connector is one of Debezium's (by its `connector.class`). */
export function isDebeziumConnector(connector: ConnectorInfo): boolean {
  return (
    connector.config['connector.class']?.startsWith(DEBEZIUM_CLASS_PREFIX) ??
    false
  );
}

/**
 * The tables a Debezium source connector captures and the topics it writes
 * them to: the plain names of its `table.include.list` (its entries are
 * regular expressions; `public.users` and `public\.users` name one table,
 * `public.*` names none) and the tables of the topics Connect saw it write
 * (`<topic.prefix>.<schema>.<table>`, which also covers patterns and an
 * absent include list). Empty for other connectors. The one place that reads
 * Debezium's topic naming, for the catalog and the pipeline page alike.
 *
 * @public
 */
export function debeziumCapture(
  connector: ConnectorInfo,
  activeTopics: readonly string[],
): DebeziumCapture {
  const prefix = connector.config['topic.prefix'];
  if (connector.type !== 'source' || !isDebeziumConnector(connector) || !prefix)
    return { tables: [], topics: [] };
  const tables = new Set<string>();
  for (const entry of (connector.config['table.include.list'] ?? '').split(
    ',',
  )) {
    const plain = PLAIN_TABLE.exec(entry.trim());
    if (plain) tables.add(`${plain[1]}.${plain[2]}`);
  }
  for (const topic of activeTopics) {
    if (!topic.startsWith(`${prefix}.`)) continue;
    const rest = topic.slice(prefix.length + 1);
    if (rest.split('.').length === 2) tables.add(rest);
  }
  const sorted = [...tables].sort();
  return { tables: sorted, topics: sorted.map(t => `${prefix}.${t}`) };
}
