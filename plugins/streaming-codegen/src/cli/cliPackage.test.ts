import { execFile } from 'child_process';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { dirname, join, relative } from 'path';
import { promisify } from 'util';
import { exampleTechdocsBaseUrl, repoRoot } from '../__testUtils__/goldenCases';
import { GENERATOR_VERSION } from './version';

const run = promisify(execFile);

/** Every file under `dir`, relative POSIX paths, sorted. */
function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap(entry =>
      entry.isDirectory()
        ? listFiles(join(dir, entry.name), base)
        : [relative(base, join(dir, entry.name))],
    )
    .sort();
}

// The packed CLI installed in a folder outside the monorepo and run with
// nothing but Node on PATH: no Backstage CLI, no TypeScript sources.
describe('the packed streaming-pipeline CLI', () => {
  let work: string;
  let project: string;
  let tarball: string;
  const nodeOnly = { PATH: dirname(process.execPath), HOME: tmpdir() };
  const cli = (args: string[]) =>
    run(
      process.execPath,
      [join(project, 'node_modules/.bin/streaming-pipeline'), ...args],
      { cwd: project, env: nodeOnly },
    );

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'streaming-pipeline-pack-'));
    project = join(work, 'pipeline-repo');
    const { stdout } = await run(
      process.execPath,
      [
        join(repoRoot, 'plugins/streaming-codegen/scripts/packCli.js'),
        '--out',
        join(work, 'pack'),
      ],
      { cwd: repoRoot },
    );
    tarball = stdout.trim();
    cpSync(join(repoRoot, 'examples/pipelines/user-events'), project, {
      recursive: true,
      filter: source => !source.includes('/job/__pycache__'),
    });
    writeFileSync(join(project, 'package.json'), '{ "private": true }\n');
    await run(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', tarball],
      { cwd: project, env: { ...nodeOnly, PATH: process.env.PATH } },
    );
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is one JavaScript file and the Python every repository ships, with no dependencies', () => {
    expect(tarball).toBe(
      join(work, 'pack', `streaming-pipeline-${GENERATOR_VERSION}.tgz`),
    );
    const installed = JSON.parse(
      readFileSync(
        join(project, 'node_modules/streaming-pipeline/package.json'),
        'utf8',
      ),
    );
    expect(installed.dependencies).toBeUndefined();
    // The Python of src/runtimeFiles.ts, which the bundle reads from beside it.
    const python = ['streaming_runtime', 'repository'].flatMap(folder =>
      listFiles(join(__dirname, '../../python', folder))
        .filter(file => !file.includes('__pycache__'))
        .map(file => `python/${folder}/${file}`),
    );
    expect(python).toContain('python/streaming_runtime/job.py');
    expect(listFiles(join(project, 'node_modules/streaming-pipeline'))).toEqual(
      [
        'README.md',
        'bin/streaming-pipeline.cjs',
        'package.json',
        ...python,
      ].sort(),
    );
    expect(readdirSync(join(project, 'node_modules'))).toEqual([
      '.bin',
      '.package-lock.json',
      'streaming-pipeline',
    ]);
  });

  it('prints its version and the generator version it embeds', async () => {
    const { stdout } = await cli(['--version']);
    expect(stdout).toBe(
      `streaming-pipeline ${GENERATOR_VERSION} (generator @internal/plugin-streaming-codegen ${GENERATOR_VERSION})\n`,
    );
  });

  it('validates a spec with its schema file, and rejects a bad one with exit 1', async () => {
    const ok = await cli(['validate', 'pipeline.yaml']);
    expect(ok.stderr).toBe('pipeline.yaml: valid\n');
    writeFileSync(
      join(project, 'bad.yaml'),
      readFileSync(join(project, 'pipeline.yaml'), 'utf8').replace(
        'type: kafka',
        'type: kafak',
      ),
    );
    await expect(cli(['validate', 'bad.yaml'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'error: pipeline.source.type: unknown "kafak"; did you mean "kafka"?',
      ),
    });
  });

  it('renders the same files as the generator in the monorepo', async () => {
    await cli([
      'render',
      'pipeline.yaml',
      '--out',
      'rendered',
      '--techdocs-base-url',
      exampleTechdocsBaseUrl('user-events'),
    ]);
    const rendered = listFiles(join(project, 'rendered'));
    expect(rendered).toContain('job/main.py');
    expect(rendered).toContain('job/streaming_runtime/job.py');
    expect(rendered).toContain('tests/test_user_events.py');
    for (const file of rendered) {
      expect([
        file,
        readFileSync(join(project, 'rendered', file), 'utf8'),
      ]).toEqual([
        file,
        readFileSync(
          join(repoRoot, 'examples/pipelines/user-events', file),
          'utf8',
        ),
      ]);
    }
  });
});
