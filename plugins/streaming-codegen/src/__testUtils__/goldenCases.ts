import { existsSync, readdirSync, readFileSync } from 'fs';
import { basename, join, resolve } from 'path';
import { RenderOptions } from '../RenderOptions';

/** The repository root (this file is plugins/streaming-codegen/src/__testUtils__). */
export const repoRoot = resolve(__dirname, '../../../..');

/** One spec rendered in the golden-file tests. */
export interface GoldenCase {
  name: string;
  specFile: string;
  specText: string;
  /** Folder holding the expected files. */
  goldenDir: string;
  /** Whether the folder holds only generated files (so extra files are stale). */
  exclusive: boolean;
  options: RenderOptions;
}

const examplesDir = join(repoRoot, 'examples/pipelines');
const fixturesDir = join(__dirname, '../__fixtures__/specs');
const goldenDir = join(__dirname, '../__golden__');
const referenceFile = join(
  repoRoot,
  'plugins/streaming-common/src/spec/__fixtures__/reference.yaml',
);

const read = (file: string) => readFileSync(file, 'utf8');

/**
 * Where the local app (app-config.yaml's app.baseUrl) serves an example's
 * TechDocs: the examples are its catalog's entities, so their alerts'
 * runbook_url leads to their runbook there.
 */
export const exampleTechdocsBaseUrl = (name: string) =>
  `http://localhost:3000/docs/default/component/${name}`;

/** The five examples (rendered into their own folders), the reference spec and the matrix. */
export function goldenCases(): GoldenCase[] {
  // An example is a folder with a pipeline.yaml (a stray folder, such as a
  // tool's empty output folder, is none).
  const examples = readdirSync(examplesDir)
    .filter(name => existsSync(join(examplesDir, name, 'pipeline.yaml')))
    .sort()
    .map(name => ({
      name: `example ${name}`,
      specFile: join(examplesDir, name, 'pipeline.yaml'),
      specText: read(join(examplesDir, name, 'pipeline.yaml')),
      goldenDir: join(examplesDir, name),
      exclusive: false,
      options: {
        includeSpec: false,
        techdocsBaseUrl: exampleTechdocsBaseUrl(name),
      },
    }));
  const specs = [
    referenceFile,
    ...readdirSync(fixturesDir)
      .filter(f => f.endsWith('.yaml'))
      .sort()
      .map(f => join(fixturesDir, f)),
  ].map(file => {
    const name = basename(file, '.yaml');
    return {
      name,
      specFile: file,
      specText: read(file),
      goldenDir: join(goldenDir, name),
      exclusive: true,
      options: {
        specText: read(file),
        techdocsBaseUrl: `https://backstage.example.com/docs/default/component/${name}`,
        kubernetesCluster: 'local',
        repositoryUrl: `https://git.example.com/streaming/${name}.git`,
      },
    };
  });
  return [...examples, ...specs];
}
