/** The subset of OpenAPI v3 schemas used by the CRD and the API document. */
export type JsonSchema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  nullable?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
};

/**
 * Problems of a value against an OpenAPI v3 schema (types, enums, required
 * and unknown properties, `$ref` into `root`); empty when it conforms.
 */
export function schemaProblems(
  value: unknown,
  schema: JsonSchema,
  at = '',
  root: unknown = schema,
): string[] {
  if (schema.$ref) {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<any>((node, key) => node?.[key], root);
    return schemaProblems(value, target, at, root);
  }
  if (value === null) {
    return schema.nullable ? [] : [`${at}: null`];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    return [
      `${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`,
    ];
  }
  if (schema['x-kubernetes-int-or-string']) {
    return ['string', 'number'].includes(typeof value)
      ? []
      : [`${at}: int or string`];
  }
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value))
        return [`${at}: expected object`];
      const record = value as Record<string, unknown>;
      const problems = (schema.required ?? [])
        .filter(key => !(key in record))
        .map(key => `${at}.${key}: required`);
      for (const [key, child] of Object.entries(record)) {
        if (child === undefined) continue;
        const childSchema =
          schema.properties?.[key] ??
          (typeof schema.additionalProperties === 'object'
            ? schema.additionalProperties
            : undefined);
        if (childSchema) {
          problems.push(
            ...schemaProblems(child, childSchema, `${at}.${key}`, root),
          );
        } else if (
          !schema['x-kubernetes-preserve-unknown-fields'] &&
          schema.properties
        ) {
          problems.push(`${at}.${key}: not in the schema`);
        }
      }
      return problems;
    }
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((v, i) =>
            schema.items
              ? schemaProblems(v, schema.items, `${at}[${i}]`, root)
              : [],
          )
        : [`${at}: expected array`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: expected integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: expected number`];
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: expected string`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected boolean`];
    default:
      return [];
  }
}
