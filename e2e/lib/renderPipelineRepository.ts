// Renders a whole pipeline repository (every generated file, pipeline.yaml as
// written) from a spec file with the project's own code generator, as a Create
// template leaves one, for the browser tests.
// Usage: node -r sucrase/register/ts e2e/lib/renderPipelineRepository.ts SPEC_FILE OUT_DIR
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import { renderPipeline } from '@internal/plugin-streaming-codegen';

const [specFile, outDir] = process.argv.slice(2);
if (!specFile || !outDir) {
  throw new Error('usage: renderPipelineRepository.ts SPEC_FILE OUT_DIR');
}
const specText = readFileSync(specFile, 'utf8');
const { spec, errors } = parsePipelineSpec(specText);
if (!spec) {
  throw new Error(`${specFile} is invalid: ${JSON.stringify(errors)}`);
}
for (const file of renderPipeline(spec, { specText })) {
  const target = join(outDir, file.path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.content);
}
