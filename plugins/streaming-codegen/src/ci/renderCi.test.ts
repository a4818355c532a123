import { execFile, execFileSync } from 'child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';
import { promisify } from 'util';
import { parse } from 'yaml';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import { runCli } from '../cli/runCli';
import { crdValidator } from '../__testUtils__/crdValidator';
import { goldenCases, repoRoot } from '../__testUtils__/goldenCases';
import { renderPipeline } from '../renderPipeline';
import { RenderInputError } from '../RenderInputError';
import { imageRepository, PYTHON_TEST_TOOLS } from './renderCi';

const runFile = promisify(execFile);
const argoCdCrd = resolve(
  repoRoot,
  '../shared/fixtures/argo-cd/applications.argoproj.io.crd.yaml',
);

const cases = goldenCases().map(c => {
  const spec = parsePipelineSpec(c.specText).spec!;
  const files = renderPipeline(spec, c.options);
  const file = (path: string) => files.find(f => f.path === path)?.content;
  return { ...c, spec, file };
});

/** Every file under `dir` with its content, skipping Python caches. */
function snapshot(dir: string, base = dir): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .filter(e => e.name !== '__pycache__')
      .flatMap(e =>
        e.isDirectory()
          ? Object.entries(snapshot(join(dir, e.name), base))
          : [
              [
                relative(base, join(dir, e.name)),
                readFileSync(join(dir, e.name), 'utf8'),
              ],
            ],
      ),
  );
}

describe('the generated CI workflow', () => {
  let work: string;
  let actionlint: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'streaming-ci-'));
    // Builds actionlint from its Go module on a fresh machine, then only prints its path.
    actionlint = execFileSync(join(repoRoot, 'scripts/actionlint.sh'), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  }, 600_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const lint = async (workflows: Record<string, string>) => {
    const paths = Object.entries(workflows).map(([name, content]) => {
      const dir = join(work, name, '.github/workflows');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'pipeline.yaml'), content);
      return join(dir, 'pipeline.yaml');
    });
    try {
      await runFile(actionlint, ['-no-color', ...paths], { cwd: work });
      return '';
    } catch (e) {
      return (e as { stdout: string }).stdout;
    }
  };

  it('passes actionlint, with shellcheck on its scripts, for every golden case', async () => {
    const workflows = Object.fromEntries(
      cases.map(c => [c.name, c.file('.github/workflows/pipeline.yaml')!]),
    );
    expect(Object.keys(workflows).length).toBeGreaterThanOrEqual(14);
    expect(await lint(workflows)).toBe('');
    // actionlint does catch a broken workflow, and shellcheck an unquoted variable.
    const broken = workflows['example user-events']
      .replace(
        'runs-on: ubuntu-24.04',
        'runs-on: ubuntu-24.04\n    needs: nothing',
      )
      .replace('--image "$RENDER_IMAGE"', '--image $RENDER_IMAGE');
    const report = await lint({ broken });
    expect(report).toContain(
      'job "check" needs job "nothing" which does not exist',
    );
    expect(report).toContain('SC2086');
  });

  it('renders, with the flags it runs, exactly the files the repository has (the drift check)', async () => {
    const checked = cases.filter(
      c => !/^\s+schema:/m.test(c.specText) || c.goldenDir.includes('examples'),
    );
    expect(checked.length).toBeGreaterThanOrEqual(10);
    for (const c of checked) {
      const dir = join(work, 'drift', c.name);
      cpSync(c.goldenDir, dir, { recursive: true });
      writeFileSync(join(dir, 'pipeline.yaml'), c.specText);
      const before = snapshot(dir);
      const workflow = parse(c.file('.github/workflows/pipeline.yaml')!);
      const script: string = workflow.jobs.check.steps.find(
        (s: { name?: string }) =>
          s.name === 'Generated files match pipeline.yaml',
      ).run;
      const args = [...script.matchAll(/(--[a-z-]+) "\$(RENDER_[A-Z_]+)"/g)];
      expect(args.length).toBeGreaterThanOrEqual(4);
      const argv = args.flatMap(([, flag, variable]) => [
        flag,
        workflow.env[variable],
      ]);
      let stderr = '';
      const code = await runCli(
        ['render', 'pipeline.yaml', '--out', '.', ...argv],
        {
          stdout: () => {},
          stderr: t => (stderr += t),
          cwd: dir,
          env: {},
        },
      );
      expect([c.name, code, stderr]).toEqual([
        c.name,
        0,
        expect.stringContaining('rendered'),
      ]);
      expect([c.name, snapshot(dir)]).toEqual([c.name, before]);
    }
  });

  it("lints and tests the job with the platform's own pins of ruff and pytest", () => {
    const workflow = parse(cases[0].file('.github/workflows/pipeline.yaml')!);
    const runs: string[] = workflow.jobs.check.steps
      .map((step: { run?: string }) => step.run ?? '')
      .join('\n')
      .split('\n');
    expect(runs).toEqual(
      expect.arrayContaining([
        `pip install -r requirements.txt ${PYTHON_TEST_TOOLS.join(' ')}`,
        'ruff check',
        'pytest',
      ]),
    );
    // scripts/spark.sh installs the same versions for make test's runs of these tests.
    const sparkScript = readFileSync(
      join(repoRoot, 'scripts/spark.sh'),
      'utf8',
    );
    const pin = (name: string) =>
      sparkScript.match(new RegExp(`^${name}_VERSION="([^"]+)"`, 'm'))?.[1];
    expect(PYTHON_TEST_TOOLS).toEqual([
      `pytest==${pin('PYTEST')}`,
      `ruff==${pin('RUFF')}`,
    ]);
  });

  it('checks the source schema on pull requests and registers it on main, when a registry is set', () => {
    const jobs = (name: string) =>
      parse(
        cases
          .find(c => c.name === name)!
          .file('.github/workflows/pipeline.yaml')!,
      ).jobs;
    const { schema } = jobs('example user-events');
    expect(schema).toMatchObject({
      needs: 'check',
      if: "vars.SCHEMA_REGISTRY_URL != ''",
      env: {
        SCHEMA_REGISTRY_URL: '${{ vars.SCHEMA_REGISTRY_URL }}',
        SCHEMA_REGISTRY_USERNAME: '${{ secrets.SCHEMA_REGISTRY_USERNAME }}',
        SCHEMA_REGISTRY_PASSWORD: '${{ secrets.SCHEMA_REGISTRY_PASSWORD }}',
      },
    });
    const register =
      'npx --yes "$STREAMING_PIPELINE_CLI" schema register pipeline.yaml --registry-url "$SCHEMA_REGISTRY_URL"';
    expect(schema.steps.slice(2)).toEqual([
      expect.objectContaining({
        if: "github.event_name == 'pull_request'",
        run: `${register} --dry-run`,
      }),
      expect.objectContaining({
        if: "github.event_name == 'push' && github.ref == 'refs/heads/main'",
        run: register,
      }),
    ]);
    // The image waits for the schema: not pushed when the schema is incompatible, pushed
    // when the repository has no registry (the schema job skipped).
    expect(jobs('example user-events').image).toMatchObject({
      needs: ['check', 'schema'],
      if: "!cancelled() && github.event_name == 'push' && github.ref == 'refs/heads/main' && needs.check.result == 'success' && (needs.schema.result == 'success' || needs.schema.result == 'skipped')",
    });
    // Nothing to register: a Debezium topic, a source reading a subject.
    expect(jobs('example cdc-postgres-users').schema).toBeUndefined();
    expect(jobs('example cdc-postgres-users').image).toMatchObject({
      needs: 'check',
      if: "github.event_name == 'push' && github.ref == 'refs/heads/main'",
    });
    expect(jobs('matrix-avro-registry-delta-append').schema).toBeUndefined();
  });

  it('pushes the image to the registry of the image reference', () => {
    expect(imageRepository('registry.example.com/team/job:1.0')).toEqual({
      registry: 'registry.example.com',
      repository: 'registry.example.com/team/job',
    });
    expect(imageRepository('localhost:5000/job@sha256:abc')).toEqual({
      registry: 'localhost:5000',
      repository: 'localhost:5000/job',
    });
    expect(imageRepository('streaming-pipelines/clickstream:latest')).toEqual({
      registry: 'docker.io',
      repository: 'streaming-pipelines/clickstream',
    });
  });

  it('refuses an option that would be a GitHub Actions expression', () => {
    const { spec } = cases[0];
    expect(() =>
      renderPipeline(spec, {
        techdocsBaseUrl: 'https://docs.example.com/${{secrets.TOKEN}}',
      }),
    ).toThrow(RenderInputError);
  });
});

describe('the generated Argo CD Application', () => {
  it('validates against the Argo CD Application CRD', () => {
    if (!existsSync(argoCdCrd)) {
      if (process.env.CI) {
        throw new Error(`the Argo CD Application CRD is missing: ${argoCdCrd}`);
      }
      process.stdout.write(
        'skipped: Argo CD Application CRD validation (../shared/fixtures/argo-cd is absent)\n',
      );
      return;
    }
    const validate = crdValidator(argoCdCrd, 'v1alpha1');
    const applications = cases.flatMap(c => {
      const text = c.file('argocd/application.yaml');
      return text ? [{ name: c.name, object: parse(text) }] : [];
    });
    expect(applications.length).toBeGreaterThanOrEqual(9);
    expect(
      applications.map(({ name, object }) => ({
        name,
        errors: validate(object) ? [] : validate.errors,
      })),
    ).toEqual(applications.map(({ name }) => ({ name, errors: [] })));
    const misspelt = structuredClone(applications[0].object);
    misspelt.spec.source.targetRevison = 'main';
    expect(validate(misspelt)).toBe(false);
    expect(validate({ ...applications[0].object, spec: {} })).toBe(false);
  });

  it('syncs the YAML manifests of deploy/ from main into the pipeline namespace', () => {
    const c = cases.find(x => x.file('argocd/application.yaml'))!;
    const application = parse(c.file('argocd/application.yaml')!);
    expect(application.spec.source).toEqual({
      repoURL: `https://git.example.com/streaming/${c.name}.git`,
      targetRevision: 'main',
      path: 'deploy',
      directory: { include: '*.yaml' },
    });
    expect(application.spec.destination.namespace).toBe(
      parse(c.file('deploy/spark-application.yaml')!).metadata.namespace,
    );
    // No repository URL, no Application.
    expect(renderPipeline(c.spec).map(f => f.path)).not.toContain(
      'argocd/application.yaml',
    );
  });
});
