// The example pipelines' jobs for the local start: renders each one from
// examples/pipelines/NAME/pipeline.yaml with the project's code generator into
// WORK/NAME/repo and writes WORK/pipelines.json, the jobs and settings that
// scripts/lib/pipeline-host.py runs in one Spark driver: a checkpoint under
// WORK/NAME, the Delta sink path the spec names mapped through
// streaming.delta.pathMappings of app-config (the mapping the backend reads
// the tables through), and for a search engine sink the URL to wait for.
//
// Usage: node -r sucrase/register/ts scripts/lib/renderDemoPipelines.ts WORK NAME...
import { ConfigSources } from '@backstage/config-loader';
import {
  formatSpecError,
  parsePipelineSpec,
} from '@internal/plugin-streaming-common';
import {
  jobSettings,
  renderPipeline,
} from '@internal/plugin-streaming-codegen';
import { DeltaPathMapping } from '@internal/plugin-streaming-backend/src/services/DeltaTables/DeltaPathMapping';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** The path mapping of app-config (with app-config.local.yaml), relative to the backend's folder. */
async function deltaPathMapping(): Promise<DeltaPathMapping> {
  const config = await ConfigSources.toConfig(
    ConfigSources.default({ rootDir: root, argv: [] }),
  );
  try {
    const entries = (
      config.getOptionalConfigArray('streaming.delta.pathMappings') ?? []
    ).map(entry => ({
      from: entry.getString('from'),
      to: entry.getString('to'),
    }));
    return new DeltaPathMapping(entries, join(root, 'packages/backend'));
  } finally {
    config.close();
  }
}

async function main() {
  const [work, ...names] = process.argv.slice(2);
  if (!work || names.length === 0) {
    throw new Error('usage: renderDemoPipelines.ts WORK NAME...');
  }
  const mapping = await deltaPathMapping();
  const jobs = [];
  for (const name of names) {
    const specFile = join(root, 'examples/pipelines', name, 'pipeline.yaml');
    if (!existsSync(specFile)) {
      console.error(`no example pipeline named ${name}; skipped`);
      continue;
    }
    const { spec, errors } = parsePipelineSpec(readFileSync(specFile, 'utf8'));
    if (!spec) {
      throw new Error(
        `${specFile}: ${errors.map(e => formatSpecError(e)).join('; ')}`,
      );
    }
    const repo = resolve(work, name, 'repo');
    rmSync(repo, { recursive: true, force: true });
    for (const file of renderPipeline(spec)) {
      const target = join(repo, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    }
    const schemas = join(dirname(specFile), 'schemas');
    if (existsSync(schemas)) {
      cpSync(schemas, join(repo, 'schemas'), { recursive: true });
    }
    const env: Record<string, string> = {
      PIPELINE_CHECKPOINT: resolve(work, name, 'checkpoint'),
    };
    const sinkPath = jobSettings(spec).find(s => s.key === 'sink_path');
    if (sinkPath && typeof sinkPath.value === 'string') {
      env[sinkPath.env] = resolve(root, mapping.map(sinkPath.value));
    }
    // A search engine sink: the job starts once its first node answers.
    const nodes = jobSettings(spec).find(s => s.key === 'elasticsearch_nodes');
    const waitFor = nodes
      ? (process.env[nodes.env] || nodes.value || '').split(',')[0].trim()
      : undefined;
    jobs.push({ name, main: join(repo, 'job/main.py'), env, waitFor });
    console.log(
      `${name}: ${env.PIPELINE_SINK_PATH ?? 'no Delta sink'} (checkpoint ${
        env.PIPELINE_CHECKPOINT
      })`,
    );
  }
  writeFileSync(
    join(work, 'pipelines.json'),
    `${JSON.stringify(jobs, null, 2)}\n`,
  );
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
