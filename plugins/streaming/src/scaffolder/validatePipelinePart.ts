import {
  formatSpecError,
  validatePipelineSpec,
} from '@internal/plugin-streaming-common';

/** The parts of a pipeline spec the Create form edits with its own fields. */
export type PipelinePart = 'transformations' | 'resources';

/**
 * Validates one part of a pipeline spec in the browser with the same schema
 * and rules as the backend, inside a minimal spec built around it: the
 * source's fields when the form has them (so columns are checked), a Delta
 * source without a schema otherwise. Only the problems of that part are
 * returned, one line each, with their path inside the part.
 */
export function validatePipelinePart(
  part: PipelinePart,
  value: unknown,
  fields?: unknown,
): string[] {
  const source: Record<string, unknown> = Array.isArray(fields)
    ? { type: 'kafka', topic: 'form-preview', format: 'json', fields }
    : { type: 'delta', path: '/form-preview/source' };
  const spec = {
    pipeline: {
      name: 'form-preview',
      source,
      sink: {
        type: 'delta',
        path: '/form-preview/sink',
        checkpoint: '/form-preview/checkpoint',
      },
      [part]: value,
    },
  };
  const prefix = `pipeline.${part}`;
  const { errors, warnings } = validatePipelineSpec(spec);
  return [...errors, ...warnings]
    .filter(
      e =>
        e.path === prefix ||
        e.path.startsWith(`${prefix}[`) ||
        e.path.startsWith(`${prefix}.`),
    )
    .map(e =>
      formatSpecError({ ...e, path: e.path.slice('pipeline.'.length) }),
    );
}
