/**
 * The top-level field names of a schema file: the fields of an Avro record
 * (`.avsc`) or the properties of a JSON Schema object (`.json`). Undefined
 * when the text is not such a schema.
 *
 * @public
 */
export function schemaFieldNames(
  path: string,
  text: string,
): string[] | undefined {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (schema === null || typeof schema !== 'object') {
    return undefined;
  }
  const node = schema as {
    fields?: Array<{ name?: unknown }>;
    properties?: Record<string, unknown>;
  };
  if (path.endsWith('.avsc')) {
    return Array.isArray(node.fields) &&
      node.fields.every(f => typeof f?.name === 'string')
      ? node.fields.map(f => f.name as string)
      : undefined;
  }
  return node.properties && typeof node.properties === 'object'
    ? Object.keys(node.properties)
    : undefined;
}
