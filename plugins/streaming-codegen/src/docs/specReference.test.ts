import {
  AGGREGATE_FUNCTIONS,
  pipelineSpecJsonSchema,
  SCALAR_FUNCTIONS,
} from '@internal/plugin-streaming-common';
import { existsSync, readFileSync } from 'fs';
import { JsonSchema, renderSpecReference } from './renderSpecReference';
import {
  currentSpecReference,
  SPEC_REFERENCE_PATH,
} from './writeSpecReference';

describe('the pipeline spec reference', () => {
  it('is up to date with the spec schema (else run `yarn docs:spec-reference`)', () => {
    expect(existsSync(SPEC_REFERENCE_PATH)).toBe(true);
    const committed = readFileSync(SPEC_REFERENCE_PATH, 'utf8');
    if (committed !== currentSpecReference()) {
      throw new Error(
        'docs/pages/reference/pipeline-spec.md is stale: run `yarn docs:spec-reference` and commit the result',
      );
    }
  });

  it('changes when the schema changes', () => {
    const schema = pipelineSpecJsonSchema() as JsonSchema;
    const monitoring = (schema.properties!.pipeline.properties!.monitoring ??
      {}) as JsonSchema;
    const changed: JsonSchema = {
      ...schema,
      properties: {
        pipeline: {
          ...schema.properties!.pipeline,
          properties: {
            ...schema.properties!.pipeline.properties,
            monitoring: {
              ...monitoring,
              properties: {
                ...monitoring.properties,
                alert_on_silence: { type: 'integer', minimum: 1 },
              },
            },
          },
        },
      },
    };
    const reference = renderSpecReference({
      schema: changed,
      aggregateFunctions: AGGREGATE_FUNCTIONS,
      scalarFunctions: SCALAR_FUNCTIONS,
    });
    expect(reference).not.toBe(currentSpecReference());
    expect(reference).toContain(
      '| <code>alert&#95;on&#95;silence</code> | integer |  |  | At least 1. |',
    );
  });

  it('lists every function the expression grammar allows', () => {
    const reference = currentSpecReference();
    for (const name of [
      ...Object.keys(AGGREGATE_FUNCTIONS),
      ...Object.keys(SCALAR_FUNCTIONS),
    ]) {
      expect(reference).toMatch(
        new RegExp(`^\\| <code>${name.replace(/_/g, '&#95;')}</code> \\|`, 'm'),
      );
    }
  });

  it('documents every field of every variant', () => {
    const reference = currentSpecReference();
    for (const id of [
      'pipeline-source-kafka',
      'pipeline-source-debezium',
      'pipeline-source-delta',
      'pipeline-transformations-aggregate',
      'pipeline-transformations-join-table',
      'pipeline-sink-delta-maintenance',
      'pipeline-monitoring',
    ]) {
      expect(reference).toContain(`{#${id}}`);
    }
    expect(reference).toContain(
      '| <code>alert&#95;on&#95;lag&#95;messages</code> | integer |  | <code>10000</code> |',
    );
  });
});
