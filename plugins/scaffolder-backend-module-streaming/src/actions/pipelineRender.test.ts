import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import yaml, { parse } from 'yaml';
import fs from 'node:fs';
import { join } from 'node:path';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import {
  readRepositoryRender,
  renderPipeline,
  REPOSITORY_WORKFLOW_PATH,
} from '@internal/plugin-streaming-codegen';
import { invokeAction } from '../__testUtils__/invokeAction';
import { runExample } from '../__testUtils__/runExample';
import { createPipelineRenderAction } from './pipelineRender';
import { examples } from './pipelineRender.examples';

describe('streaming:pipeline:render', () => {
  const action = createPipelineRenderAction({
    integrations: ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: { github: [{ host: 'github.example.com' }] },
      }),
    ),
  });
  const dir = createMockDirectory();
  const workspacePath = join(dir.path, 'workspace');

  beforeEach(() => {
    dir.clear();
    fs.mkdirSync(workspacePath);
  });

  function listFiles(root: string): string[] {
    return (fs.readdirSync(root, { recursive: true }) as string[])
      .filter(p => fs.statSync(join(root, p)).isFile())
      .sort();
  }

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const [outputs] = await runExample(action, example, { workspacePath });
      expect(listFiles(workspacePath)).toEqual([...outputs.files].sort());
      const catalogInfo = parse(
        fs.readFileSync(join(workspacePath, outputs.catalogInfoPath), 'utf8'),
      );
      expect(catalogInfo).toMatchObject({
        kind: 'Component',
        metadata: { name: outputs.pipelineName },
        spec: { type: 'streaming-pipeline' },
      });
      const sparkApplication = parse(
        fs.readFileSync(
          join(workspacePath, outputs.sparkApplicationPath),
          'utf8',
        ),
      );
      expect(sparkApplication).toMatchObject({
        kind: 'SparkApplication',
        metadata: { name: outputs.pipelineName },
      });
    },
  );

  it('renders again with the options the repository recorded (optionsFromRepository), inputs overriding them', async () => {
    const example = join(
      __dirname,
      '../../../../examples/pipelines/user-events',
    );
    fs.cpSync(example, workspacePath, { recursive: true });
    const before = fs.readFileSync(
      join(workspacePath, 'pipeline.yaml'),
      'utf8',
    );
    const specText = before.replace('alert_on_lag: 60', 'alert_on_lag: 90');
    expect(specText).not.toBe(before);
    await invokeAction(
      action,
      { specText, optionsFromRepository: true },
      { workspacePath },
    );
    const expected = renderPipeline(parsePipelineSpec(specText).spec!, {
      ...readRepositoryRender(
        fs.readFileSync(join(example, REPOSITORY_WORKFLOW_PATH), 'utf8'),
      ).options,
      specText,
    });
    for (const file of expected) {
      expect([
        file.path,
        fs.readFileSync(join(workspacePath, file.path), 'utf8'),
      ]).toEqual([file.path, file.content]);
    }
    // The example's TechDocs links, recorded in its workflow, are kept.
    expect(
      fs.readFileSync(
        join(workspacePath, 'deploy/prometheus-rule.yaml'),
        'utf8',
      ),
    ).toContain(
      'http://localhost:3000/docs/default/component/user-events/runbook/',
    );

    await invokeAction(
      action,
      { specText, optionsFromRepository: true, namespace: 'data' },
      { workspacePath },
    );
    expect(
      parse(
        fs.readFileSync(
          join(workspacePath, 'deploy/spark-application.yaml'),
          'utf8',
        ),
      ).metadata.namespace,
    ).toBe('data');
  });

  it('refuses optionsFromRepository without the workflow that records them, writing nothing', async () => {
    await expect(
      invokeAction(
        action,
        {
          specText: fs.readFileSync(
            join(
              __dirname,
              '../../../../examples/pipelines/user-events/pipeline.yaml',
            ),
            'utf8',
          ),
          optionsFromRepository: true,
        },
        { workspacePath },
      ),
    ).rejects.toThrow(
      'optionsFromRepository: the workspace has no .github/workflows/pipeline.yaml recording how the repository was rendered',
    );
    expect(listFiles(workspacePath)).toEqual([]);
  });

  it('keeps the comments of a spec given as text', async () => {
    const [example] = examples.slice(1);
    const [outputs] = await runExample(action, example.example, {
      workspacePath,
    });
    expect(outputs.files).toContain('pipeline/pipeline.yaml');
    expect(
      fs.readFileSync(join(workspacePath, 'pipeline/pipeline.yaml'), 'utf8'),
    ).toMatch(/^# Warnings and errors of all services/);
  });

  it('writes nothing for an invalid spec', async () => {
    await expect(
      invokeAction(
        action,
        { specText: 'pipeline:\n  name: "x\n' },
        { workspacePath },
      ),
    ).rejects.toThrow('The pipeline spec is invalid');
    expect(listFiles(workspacePath)).toEqual([]);
  });

  it.each([['../outside'], ['/etc'], ['a/../../b']])(
    'refuses the target path %j',
    async targetPath => {
      const [example] = examples;
      const spec = parse(example.example).steps[0].input.spec;
      await expect(
        invokeAction(action, { spec, targetPath }, { workspacePath }),
      ).rejects.toThrow(/outside/);
      expect(fs.readdirSync(dir.path)).toEqual(['workspace']);
      expect(listFiles(workspacePath)).toEqual([]);
    },
  );

  it('renders the Argo CD Application for the repository the files are published to', async () => {
    const [example] = examples;
    const spec = parse(example.example).steps[0].input.spec;
    const [outputs] = await runExample(
      action,
      yaml.stringify({
        steps: [
          {
            id: 'render',
            action: 'streaming:pipeline:render',
            input: {
              spec,
              repoUrl: 'github.example.com?owner=team-commerce&repo=orders',
            },
          },
        ],
      }),
      { workspacePath },
    );
    expect(outputs.files).toContain('argocd/application.yaml');
    const application = parse(
      fs.readFileSync(join(workspacePath, 'argocd/application.yaml'), 'utf8'),
    );
    expect(application.spec.source).toMatchObject({
      repoURL: 'https://github.example.com/team-commerce/orders.git',
      path: 'deploy',
      targetRevision: 'main',
    });
  });

  it('renders no Argo CD Application without a repository, and refuses a host without an integration', async () => {
    const [example] = examples;
    const spec = parse(example.example).steps[0].input.spec;
    const [outputs] = await runExample(action, example.example, {
      workspacePath,
    });
    expect(outputs.files).not.toContain('argocd/application.yaml');
    await expect(
      invokeAction(
        action,
        { spec, repoUrl: 'git.elsewhere.example?owner=a&repo=b' },
        { workspacePath: join(dir.path, 'other') },
      ),
    ).rejects.toThrow(/git\.elsewhere\.example/);
  });

  it('rejects hostile deployment options', async () => {
    const [example] = examples;
    const spec = parse(example.example).steps[0].input.spec;
    await expect(
      invokeAction(
        action,
        { spec, namespace: 'x\nkind: Secret', image: 'a b' },
        { workspacePath },
      ),
    ).rejects.toThrow(
      'Invalid input: namespace: expected a Kubernetes namespace name; image: expected a container image reference',
    );
  });
});
