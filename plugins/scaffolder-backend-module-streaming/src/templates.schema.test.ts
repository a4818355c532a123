import {
  MAX_PIPELINE_NAME_LENGTH,
  PIPELINE_NAME_PATTERN,
  pipelineSpecJsonSchema,
} from '@internal/plugin-streaming-common';
import { JsonObject } from '@backstage/types';
import { loadTemplate, templateNames } from './__testUtils__/templates';

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
      Object.assign(properties, object.properties ?? {});
      walk(object.dependencies && Object.values(object.dependencies));
      walk(object.oneOf);
    }
  };
  walk((template.spec as JsonObject).parameters);
  return properties;
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

  it('offers exactly the field types of the spec', () => {
    const offered: unknown[] = form.fields?.items?.properties?.type?.enum ?? [];
    const fieldTypes = enumsOf(spec, 'type').find(values =>
      values.includes('timestamp'),
    );
    expect(fieldTypes).toBeDefined();
    expect(form.fields === undefined || offered.length > 0).toBe(true);
    expect(offered.filter(t => !fieldTypes!.includes(t))).toEqual([]);
    expect(
      form.fields === undefined
        ? []
        : fieldTypes!.filter(t => !offered.includes(t)),
    ).toEqual([]);
  });
});
