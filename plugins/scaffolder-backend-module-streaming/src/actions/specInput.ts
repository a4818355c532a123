import { InputError } from '@backstage/errors';
import {
  formatSpecError,
  parsePipelineSpec,
  PipelineSpec,
  SpecError,
  SpecValidationResult,
  validatePipelineSpec,
} from '@internal/plugin-streaming-common';
import { z } from 'zod/v3';

/**
 * The two ways an action receives a pipeline spec: as an object (a template
 * builds it from its parameters) or as the YAML text of a `pipeline.yaml`.
 * Exactly one is given.
 */
export const specInputFields = {
  spec: z
    .record(z.unknown())
    .optional()
    .describe(
      'The pipeline spec as an object: `{ pipeline: { name, source, transformations, sink, ... } }`',
    ),
  specText: z
    .string()
    .optional()
    .describe('The pipeline spec as YAML text, as in a pipeline.yaml file'),
};

/** Validates whichever form of the spec was given. */
export function validateSpecInput(input: {
  spec?: Record<string, unknown>;
  specText?: string;
}): SpecValidationResult<PipelineSpec> {
  if ((input.spec === undefined) === (input.specText === undefined)) {
    throw new InputError('Give the pipeline spec as either spec or specText');
  }
  return input.spec !== undefined
    ? validatePipelineSpec(input.spec)
    : parsePipelineSpec(input.specText!);
}

/** One line per problem, with the YAML position when known. */
export function formatSpecErrors(errors: SpecError[]): string[] {
  return errors.map(error =>
    error.line !== undefined
      ? `line ${error.line}, column ${error.column}: ${formatSpecError(error)}`
      : formatSpecError(error),
  );
}

/**
 * The validated spec, or an `InputError` that lists every problem, for
 * actions that cannot go on with an invalid spec.
 */
export function requireValidSpec(input: {
  spec?: Record<string, unknown>;
  specText?: string;
}): PipelineSpec {
  const result = validateSpecInput(input);
  if (!result.spec) {
    throw new InputError(
      `The pipeline spec is invalid:\n${formatSpecErrors(result.errors).join(
        '\n',
      )}`,
    );
  }
  return result.spec;
}
