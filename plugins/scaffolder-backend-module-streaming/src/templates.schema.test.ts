import {
  MAX_PIPELINE_NAME_LENGTH,
  PIPELINE_NAME_PATTERN,
  pipelineSpecJsonSchema,
} from '@internal/plugin-streaming-common';
import { JsonObject } from '@backstage/types';
import { loadTemplate, templateNames } from './__testUtils__/templates';
import { FORM_ENVIRONMENT_KEYS } from './templating/pipelineEnvironmentsFilter';

/** Every `enum` of a property with this name anywhere in a JSON Schema. */
function enumsOf(schema: unknown, property: string): unknown[][] {
  const found: unknown[][] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      const object = node as Record<string, any>;
      const candidate = object.properties?.[property];
      if (candidate?.enum) {
        found.push(candidate.enum);
      }
      Object.values(object).forEach(walk);
    }
  };
  walk(schema);
  return found;
}

/** The form properties of a template, merged over its pages and branches. */
function formProperties(template: JsonObject): Record<string, any> {
  const properties: Record<string, any> = {};
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      const object = node as Record<string, any>;
      // A page's own properties come first; a branch's `{ const: ... }`
      // for the same field must not hide them.
      for (const [key, value] of Object.entries(object.properties ?? {})) {
        properties[key] ??= value;
      }
      walk(object.dependencies && Object.values(object.dependencies));
      walk(object.oneOf);
    }
  };
  walk((template.spec as JsonObject).parameters);
  return properties;
}

/** The keywords that limit a value, compared between form and spec. */
const LIMITS = [
  'type',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
] as const;

/**
 * The limits of a JSON Schema node, in the form's terms: an integer's
 * `exclusiveMinimum: n` is `minimum: n + 1`, and the safe-integer maximum
 * zod adds to every integer says nothing a form could check.
 */
function limitsOf(node: Record<string, any>): Record<string, unknown> {
  const limits: Record<string, unknown> = {};
  for (const key of LIMITS) {
    if (node[key] !== undefined) {
      limits[key] = node[key];
    }
  }
  if (node.type === 'integer' && node.exclusiveMinimum !== undefined) {
    limits.minimum = node.exclusiveMinimum + 1;
  }
  if (limits.maximum === Number.MAX_SAFE_INTEGER) {
    delete limits.maximum;
  }
  return limits;
}

/**
 * Differences between a form field and the spec property it fills: each
 * limit must be the same (for a spec `anyOf`, those of one branch), and so
 * for the items of a list and the properties of its objects.
 */
function limitDifferences(
  form: Record<string, any>,
  spec: Record<string, any>,
  path: string,
): string[] {
  if (spec.anyOf) {
    const tries = spec.anyOf.map((branch: Record<string, any>) =>
      limitDifferences(form, branch, path),
    );
    return tries.find((t: string[]) => t.length === 0) ?? tries[0];
  }
  const differences: string[] = [];
  const [formLimits, specLimits] = [limitsOf(form), limitsOf(spec)];
  for (const key of LIMITS) {
    if (formLimits[key] !== specLimits[key]) {
      differences.push(
        `${path}: ${key} is ${formLimits[key]} in the form, ${specLimits[key]} in the spec`,
      );
    }
  }
  if (form.items && spec.items) {
    differences.push(...limitDifferences(form.items, spec.items, `${path}[]`));
  }
  for (const [key, property] of Object.entries<Record<string, any>>(
    form.properties ?? {},
  )) {
    if (spec.properties?.[key]) {
      differences.push(
        ...limitDifferences(property, spec.properties[key], `${path}.${key}`),
      );
    }
  }
  return differences;
}

/**
 * The form property at a dotted path: `sourceSchema.fields` is the property
 * `fields` of the object field `sourceSchema`.
 */
function formAt(
  form: Record<string, any>,
  path: string,
): Record<string, any> | undefined {
  const [first, ...rest] = path.split('.');
  return rest.reduce<Record<string, any> | undefined>(
    (node, key) => node?.properties?.[key],
    form[first],
  );
}

/** A form field that fills a spec property, and the filter it goes through. */
interface FilledField {
  field: string;
  filter?: string;
  path: string;
  schema: Record<string, any>;
}

/**
 * The form fields the validate step puts into the spec, each with the JSON
 * Schema of the spec property it fills: `name: ${{ parameters.name }}` pairs
 * the field `name` with `pipeline.name`, `schema: ${{
 * parameters.sourceSchema.subject }}` the property `subject` of the object
 * field `sourceSchema` with `pipeline.source.schema`, `environments: ${{
 * parameters.environments | pipelineEnvironments }}` the field
 * `environments`, through that filter, with `pipeline.environments`; a
 * `type` picks the branch of a source or sink.
 */
function fieldsOfSpec(template: JsonObject): FilledField[] {
  const steps = (template.spec as JsonObject).steps as JsonObject[];
  const validate = steps.find(s => s.action === 'streaming:pipeline:validate');
  const found: FilledField[] = [];
  const walk = (value: unknown, schema: Record<string, any>, path: string) => {
    const match =
      typeof value === 'string' &&
      /^\$\{\{ parameters\.(\w+(?:\.\w+)*)(?: \| (\w+))?( if .*)? \}\}$/.exec(
        value,
      );
    if (match) {
      found.push({ field: match[1], filter: match[2], path, schema });
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      const object = value as Record<string, unknown>;
      const branch =
        schema.oneOf?.find(
          (b: Record<string, any>) => b.properties.type.const === object.type,
        ) ?? schema;
      for (const [key, child] of Object.entries(object)) {
        if (branch.properties?.[key]) {
          walk(child, branch.properties[key], `${path}.${key}`);
        }
      }
    }
  };
  walk(
    ((validate!.input as JsonObject).spec as JsonObject).pipeline,
    (pipelineSpecJsonSchema() as Record<string, any>).properties.pipeline,
    'pipeline',
  );
  return found;
}

/**
 * A form field as the spec receives it after its filter: the
 * `pipelineEnvironments` filter renames the keys of the Environments items to
 * the spec's and leaves an empty list out (so a list in the spec has at
 * least one item, whatever the form's minItems).
 */
function throughFilter(
  form: Record<string, any>,
  filter: string | undefined,
  spec: Record<string, any>,
): Record<string, any> {
  if (filter === undefined) {
    return form;
  }
  if (filter !== 'pipelineEnvironments') {
    throw new Error(`the test does not know the filter ${filter}`);
  }
  return {
    ...form,
    minItems: Math.max(form.minItems ?? 0, spec.minItems ?? 0),
    items: {
      ...form.items,
      properties: Object.fromEntries(
        Object.entries(form.items.properties).map(([key, property]) => [
          FORM_ENVIRONMENT_KEYS[key] ?? key,
          property,
        ]),
      ),
    },
  };
}

/** Form fields whose choices come from a property of the spec. */
const CHOICES: Array<[field: string, specProperty: string]> = [
  ['alertChannel', 'alert_channel'],
  ['startingOffsets', 'starting_offsets'],
  ['format', 'format'],
  ['deletes', 'deletes'],
  ['writeOperation', 'write_operation'],
  ['mode', 'mode'],
];

/**
 * The forms repeat what the spec's JSON Schema says about names and choices;
 * this keeps them from drifting apart.
 */
describe.each(templateNames())('template %s follows the spec schema', name => {
  const spec = pipelineSpecJsonSchema();
  const form = formProperties(loadTemplate(name));
  const choices = CHOICES.filter(([field]) => form[field]?.enum);

  it('names pipelines as the spec does', () => {
    expect(form.name.pattern).toBe(PIPELINE_NAME_PATTERN.source);
    expect(form.name.maxLength).toBe(MAX_PIPELINE_NAME_LENGTH);
  });

  it('offers only choices the spec allows', () => {
    for (const [field, property] of choices) {
      const offered: unknown[] = form[field].enum;
      expect({
        field,
        allowed: enumsOf(spec, property).some(values =>
          offered.every(choice => values.includes(choice)),
        ),
      }).toEqual({ field, allowed: true });
    }
  });

  it('limits each field that fills the spec as the spec does', () => {
    const filled = fieldsOfSpec(loadTemplate(name));
    expect(filled.map(f => f.field)).toEqual(
      expect.arrayContaining([
        'name',
        'owner',
        'trigger',
        'alertOnLag',
        'environments',
      ]),
    );
    expect(filled.filter(f => !formAt(form, f.field))).toEqual([]);
    expect(
      filled.flatMap(({ field, filter, path, schema }) =>
        limitDifferences(
          throughFilter(formAt(form, field)!, filter, schema),
          schema,
          `${field} (${path})`,
        ),
      ),
    ).toEqual([]);
  });

  it('fills every property of an environment from a field of the spec', () => {
    const filled = fieldsOfSpec(loadTemplate(name)).find(
      f => f.field === 'environments',
    );
    expect(filled).toMatchObject({
      filter: 'pipelineEnvironments',
      path: 'pipeline.environments',
    });
    const specProperties = Object.keys(filled!.schema.items.properties);
    const formItem = formAt(form, 'environments')!.items;
    // Every key of an item becomes a property of the spec's environment.
    expect(
      Object.keys(formItem.properties).filter(
        key => !specProperties.includes(FORM_ENVIRONMENT_KEYS[key]),
      ),
    ).toEqual([]);
    expect(formItem.required).toEqual(['name', 'namespace']);
    expect(formAt(form, 'environments')!.default).toEqual([]);
  });

  it('offers exactly the field types of the spec', () => {
    // The fields are a list field, or the list in the Schema field's object.
    const fields = form.fields ?? formAt(form, 'sourceSchema.fields');
    const offered: unknown[] = fields?.items?.properties?.type?.enum ?? [];
    const fieldTypes = enumsOf(spec, 'type').find(values =>
      values.includes('timestamp'),
    );
    expect(fieldTypes).toBeDefined();
    expect(fields === undefined || offered.length > 0).toBe(true);
    expect(offered.filter(t => !fieldTypes!.includes(t))).toEqual([]);
    expect(
      fields === undefined ? [] : fieldTypes!.filter(t => !offered.includes(t)),
    ).toEqual([]);
  });
});
