import {
  AGGREGATE_FUNCTIONS,
  pipelineSpecJsonSchema,
  SCALAR_FUNCTIONS,
} from '@internal/plugin-streaming-common';
import { writeFileSync } from 'fs';
import { resolve } from 'path';
import { JsonSchema, renderSpecReference } from './renderSpecReference';

/** Where the platform's docs keep the spec reference. */
export const SPEC_REFERENCE_PATH = resolve(
  __dirname,
  '../../../../docs/pages/reference/pipeline-spec.md',
);

/** The spec reference as the current schema renders it. */
export function currentSpecReference(): string {
  return renderSpecReference({
    schema: pipelineSpecJsonSchema() as JsonSchema,
    aggregateFunctions: AGGREGATE_FUNCTIONS,
    scalarFunctions: SCALAR_FUNCTIONS,
  });
}

// `yarn docs:spec-reference` runs this file to regenerate the reference.
if (require.main === module) {
  writeFileSync(SPEC_REFERENCE_PATH, currentSpecReference());
  process.stdout.write(`wrote ${SPEC_REFERENCE_PATH}\n`);
}
