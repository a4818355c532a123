import { z } from 'zod';
import { pipelineSpecSchema } from './pipelineSpecSchema';

/**
 * The JSON Schema of a pipeline spec as written (defaults are optional),
 * made from the same zod schema, for template forms and editors.
 *
 * @public
 */
export function pipelineSpecJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(pipelineSpecSchema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
}
