// Renders the User Events reference pipeline's PySpark job (job/: main.py and the
// streaming_runtime package it imports) from its spec with the project's own code
// generator, for the browser tests to run it for real.
// Usage: node -r sucrase/register/ts e2e/lib/renderUserEventsJob.ts OUT_DIR
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import { renderPipeline } from '@internal/plugin-streaming-codegen';

const outDir = process.argv[2];
if (!outDir) {
  throw new Error('usage: renderUserEventsJob.ts OUT_DIR');
}
const specFile = resolve(
  __dirname,
  '../../examples/pipelines/user-events/pipeline.yaml',
);
const { spec, errors } = parsePipelineSpec(readFileSync(specFile, 'utf8'));
if (!spec) {
  throw new Error(`the User Events spec is invalid: ${JSON.stringify(errors)}`);
}
for (const file of renderPipeline(spec)) {
  if (file.path.startsWith('job/')) {
    const target = join(outDir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    console.log(target);
  }
}
