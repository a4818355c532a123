import type { AllowedFunction } from '@internal/plugin-streaming-common';
import { code, md, table } from './markdown';

/** The subset of JSON Schema that zod's `toJSONSchema` emits for the spec. */
export interface JsonSchema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

/** What the reference is generated from. */
export interface SpecReferenceSource {
  /** The spec's JSON Schema (`pipelineSpecJsonSchema()`). */
  schema: JsonSchema;
  /** The expression grammar's allow-lists (`AGGREGATE_FUNCTIONS`, `SCALAR_FUNCTIONS`). */
  aggregateFunctions: Readonly<Record<string, AllowedFunction>>;
  scalarFunctions: Readonly<Record<string, AllowedFunction>>;
}

/** Integers zod emits as the bound of "any safe integer". */
const NO_BOUND = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

interface Section extends Place {
  schema: JsonSchema;
}

const anchor = (name: string) =>
  name
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/**
 * Where a field's own section goes: its path, an id unique per variant, and
 * the variant it belongs to (`type kafka`), if any.
 */
interface Place {
  path: string;
  id: string;
  variant?: string;
}

const isObject = (s: JsonSchema) => s.type === 'object' && !!s.properties;
const variants = (s: JsonSchema) => s.oneOf ?? s.anyOf;
const discriminator = (s: JsonSchema) => {
  const value = s.properties?.type?.const;
  return typeof value === 'string' ? value : undefined;
};
const isUnionOfObjects = (s: JsonSchema) =>
  !!variants(s)?.length &&
  variants(s)!.every(v => isObject(v) && discriminator(v));

/**
 * Renders the pipeline spec reference (`docs/pages/reference/pipeline-spec.md`)
 * from the spec's JSON Schema and the expression grammar's allow-lists, so
 * the reference cannot drift from what the platform validates: one section
 * per object, one row per field, with its type, whether it is required, its
 * default, constraints and description; then the functions expressions may
 * call.
 *
 * @public
 */
export function renderSpecReference(source: SpecReferenceSource): string {
  const { schema } = source;
  const out: string[] = [
    '# Pipeline spec reference',
    '',
    '<!-- Generated from the spec schema by `yarn docs:spec-reference`: do not edit by hand. -->',
    '',
    'Every field of `pipeline.yaml`, generated from the schema the platform validates',
    'with (`pipelineSpecSchema` in `@internal/plugin-streaming-common`). Fields not listed',
    'here are refused. Validation also applies cross-field rules that a schema cannot',
    'express: an event-time aggregate in append mode needs a watermark on its time column,',
    'complete mode needs an aggregate, filter conditions and metric expressions must parse',
    'in the expression grammar, checkpoints are never shared between pipelines, and a',
    '`dead_letter` target needs a Kafka or Debezium source and is neither the source, the',
    "sink, the checkpoint nor the platform's progress topic.",
    '',
  ];
  const queue: Section[] = [{ path: '', id: 'spec', schema }];
  while (queue.length) {
    out.push(...renderSection(queue.shift()!, queue), '');
  }
  out.push(...renderExpressions(source));
  return `${out.join('\n').trimEnd()}\n`;
}

function renderExpressions(source: SpecReferenceSource): string[] {
  const rows = (functions: Readonly<Record<string, AllowedFunction>>) =>
    Object.entries(functions)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, f]) => [
        code(name),
        `${
          f.minArgs === f.maxArgs
            ? md(f.minArgs)
            : `${md(f.minArgs)} to ${md(f.maxArgs)}`
        }${f.allowsStar ? ', or <code>&#42;</code>' : ''}`,
        code(`pyspark.sql.functions.${f.pyspark}`),
      ]);
  const header = ['function', 'arguments', 'becomes'];
  return [
    '## Expressions {#expressions}',
    '',
    'Filter conditions (`condition`) and metrics (the keys of `metrics`) are parsed into a',
    'small grammar and generated as PySpark Column API calls with quoted literals; text',
    'outside the grammar is a validation error that names its position. The grammar has',
    'column names (`a.b` for a nested field), string, number, boolean and `NULL` literals,',
    '`=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`, `AND`, `OR`, `NOT`, `IN (...)`,',
    '`IS [NOT] NULL`, `[NOT] LIKE`, `[NOT] BETWEEN ... AND ...`, arithmetic and',
    'parentheses, and calls of these functions only.',
    '',
    '### Aggregate functions, in metrics {#aggregate-functions}',
    '',
    table(header, rows(source.aggregateFunctions)),
    '',
    '### Scalar functions, in conditions and metrics {#scalar-functions}',
    '',
    table(header, rows(source.scalarFunctions)),
    '',
  ];
}

function renderSection(section: Section, queue: Section[]): string[] {
  const { path, id, schema } = section;
  const title = path || 'The document';
  const heading = `## ${
    section.variant ? `${path}, ${section.variant}` : title
  } {#${id}}`;
  const union = variants(schema);
  if (union && isUnionOfObjects(schema)) {
    const links = union.map(v => {
      const value = discriminator(v)!;
      const variantId = `${id}-${anchor(value)}`;
      queue.push({ path, id: variantId, schema: v, variant: `type ${value}` });
      return `[${md(value)}](#${variantId})`;
    });
    return [
      heading,
      '',
      `One of these, chosen by its \`type\`: ${links.join(', ')}.`,
    ];
  }
  const rows = Object.entries(schema.properties ?? {}).map(([name, field]) => {
    const place: Place = {
      path: path ? `${path}.${name}` : name,
      id: id === 'spec' ? anchor(name) : `${id}-${anchor(name)}`,
      variant: section.variant,
    };
    return [
      code(name),
      describeType(place, field, queue),
      schema.required?.includes(name) && field.default === undefined
        ? 'yes'
        : '',
      field.default === undefined ? '' : code(JSON.stringify(field.default)),
      describeConstraints(field),
    ];
  });
  return [
    heading,
    '',
    ...(schema.description ? [md(schema.description), ''] : []),
    table(
      ['field', 'type', 'required', 'default', 'constraints and meaning'],
      rows,
    ),
  ];
}

/** The type column; queues a section for each nested object or union. */
function describeType(place: Place, s: JsonSchema, queue: Section[]): string {
  const { path, id, variant } = place;
  if (s.const !== undefined) {
    return code(JSON.stringify(s.const));
  }
  if (s.enum) {
    return `one of ${s.enum.map(v => code(String(v))).join(', ')}`;
  }
  const union = variants(s);
  if (union) {
    if (isUnionOfObjects(s)) {
      queue.push({ path, id, variant, schema: s });
      return `object, see [${md(path)}](#${id})`;
    }
    return union.map(v => describeType(place, v, queue)).join(' or ');
  }
  if (s.type === 'array' && s.items) {
    return `list of ${describeType(
      { path: `${path}[]`, id, variant },
      s.items,
      queue,
    )}`;
  }
  if (s.type === 'object') {
    if (s.properties) {
      queue.push({ path, id, variant, schema: s });
      return `object, see [${md(path)}](#${id})`;
    }
    const value =
      typeof s.additionalProperties === 'object'
        ? describeType(
            { path: `${path}.*`, id: `${id}-values`, variant },
            s.additionalProperties,
            queue,
          )
        : 'any value';
    return `map of ${s.propertyNames ? 'name' : 'string'} to ${value}`;
  }
  return md(s.type ?? 'any value');
}

function describeConstraints(s: JsonSchema): string {
  const union = variants(s);
  if (union && !isUnionOfObjects(s)) {
    return union.map(describeConstraints).filter(Boolean).join(' Or: ');
  }
  const parts: string[] = [];
  const range = (
    min: number | undefined,
    max: number | undefined,
    unit: string,
  ) => {
    const low = min !== undefined && !NO_BOUND.has(min) ? min : undefined;
    const high = max !== undefined && !NO_BOUND.has(max) ? max : undefined;
    if (low !== undefined && high !== undefined) {
      parts.push(`${md(low)} to ${md(high)}${unit}`);
    } else if (low !== undefined) {
      parts.push(`at least ${md(low)}${unit}`);
    } else if (high !== undefined) {
      parts.push(`at most ${md(high)}${unit}`);
    }
  };
  if (s.exclusiveMinimum !== undefined) {
    parts.push(`above ${md(s.exclusiveMinimum)}`);
    range(undefined, s.maximum, '');
  } else {
    range(s.minimum, s.maximum, '');
  }
  range(s.minLength, s.maxLength, ' characters');
  range(s.minItems, s.maxItems, ' items');
  if (s.pattern) {
    parts.push(`matches ${code(s.pattern)}`);
  }
  if (s.type === 'array' && s.items?.pattern) {
    parts.push(`each matches ${code(s.items.pattern)}`);
  }
  const constraints = parts.length
    ? `${parts.join(', ').replace(/^./, c => c.toUpperCase())}.`
    : '';
  const description = s.description
    ? md(/[.!?]$/.test(s.description) ? s.description : `${s.description}.`)
    : '';
  return [description, constraints].filter(Boolean).join(' ');
}
