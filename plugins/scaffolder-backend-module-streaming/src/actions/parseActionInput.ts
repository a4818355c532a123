import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';
import { formatZodIssues } from '@internal/plugin-streaming-common';

/**
 * Parses an action's input with its zod schema. The scaffolder checks input
 * against the JSON Schema derived from it but applies no defaults and no
 * refinements, so every action parses again; the `InputError` names each
 * field and what was expected.
 */
export function parseActionInput<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new InputError(
      `Invalid input: ${formatZodIssues(result.error.issues, {
        whole: 'input',
      })}`,
    );
  }
  return result.data;
}
