import { createMockDirectory } from '@backstage/backend-test-utils';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import {
  readRepositoryRender,
  renderPipeline,
  REPOSITORY_WORKFLOW_PATH,
} from '@internal/plugin-streaming-codegen';
import { uniqueName } from '@internal/plugin-streaming-node/testUtils';
import git from 'isomorphic-git';
import fs from 'node:fs';
import { join } from 'node:path';
import { invokeAction } from './__testUtils__/invokeAction';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { loadTemplate, TEMPLATES_DIR } from './__testUtils__/templates';
import { createPublishLocalAction } from './actions/publishLocal';

jest.setTimeout(180_000);

/**
 * The Update pipeline template through the real scaffolder and catalog
 * backends, on a pipeline published to a local repository and registered
 * from its file: URL, as the Create templates leave one.
 */
describe('template update-pipeline', () => {
  const dir = createMockDirectory();
  const name = uniqueName('upd');
  const entityRef = `component:default/${name}`;
  const repoDir = join(dir.path, name);
  const spec = `pipeline:
  name: ${name}
  owner: user:default/mock
  source:
    type: kafka
    topic: ${name}-orders
    format: json
    fields:
      - { name: order_id, type: string }
      - { name: status, type: string }
      - { name: timestamp, type: timestamp }
  transformations:
    - type: watermark
      column: timestamp
      delay: "10 minutes"
    - type: aggregate
      window: "5 minutes"
      group_by: [status]
      metrics:
        - count: orders
  sink:
    type: delta
    path: /data/delta/${name}
    mode: append
    checkpoint: /checkpoints/${name}
  monitoring:
    alert_on_lag: 60
`;
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;

  beforeAll(async () => {
    backend = await startScaffolderTestBackend({
      streaming: { scaffolder: { localPublish: { baseDir: dir.path } } },
      locations: [`${TEMPLATES_DIR}/update-pipeline/template.yaml`],
    });
    // The repository as a Create template publishes it.
    const workspacePath = join(dir.path, '.workspace');
    fs.mkdirSync(workspacePath);
    for (const file of renderPipeline(parsePipelineSpec(spec).spec!, {
      specText: spec,
      namespace: 'data',
      techdocsBaseUrl: `http://localhost:3000/docs/default/component/${name}`,
    })) {
      fs.mkdirSync(join(workspacePath, file.path, '..'), { recursive: true });
      fs.writeFileSync(join(workspacePath, file.path), file.content);
    }
    await invokeAction(
      createPublishLocalAction({ baseDir: dir.path }),
      { repoName: name },
      { workspacePath, taskId: 'create' },
    );
    await backend.registerComponent(join(repoDir, 'catalog-info.yaml'), name);
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const branches = () => git.listBranches({ fs, dir: repoDir });

  it('in dry run refuses a change that breaks the checkpoint, naming it', async () => {
    const { status, body } = await backend.dryRun(
      loadTemplate('update-pipeline'),
      {
        pipeline: entityRef,
        branchName: 'regroup',
        specText: spec.replace(
          'group_by: [status]',
          'group_by: [status, order_id]',
        ),
      },
    );
    expect(status).toBe(400);
    expect(body.error?.message).toContain(
      `this change breaks the checkpoint /checkpoints/${name}`,
    );
    expect(body.error?.message).toContain(
      '- grouping (`pipeline.transformations[1].group_by`): ["status"] → ["status","order_id"]',
    );
    expect(await branches()).toEqual(['main']);
  });

  it('in dry run lists the files the change would commit, making no branch', async () => {
    const { status, body } = await backend.dryRun(
      loadTemplate('update-pipeline'),
      {
        pipeline: entityRef,
        branchName: 'lag-90',
        specText: spec.replace('alert_on_lag: 60', 'alert_on_lag: 90'),
      },
    );
    expect(status).toBe(200);
    expect(body.log.filter(l => l.body.status === 'failed')).toEqual([]);
    const text = JSON.stringify(body.output);
    expect(text).toContain('deploy/prometheus-rule.yaml');
    expect(text).toContain('pipeline.yaml');
    expect(text).not.toContain('job/main.py');
    expect(await branches()).toEqual(['main']);
  });

  it('as a task commits the re-rendered repository to a branch, which then has no drift', async () => {
    const specText = spec
      .replace('alert_on_lag: 60', 'alert_on_lag: 90')
      .replace('window: "5 minutes"', 'window: "10 minutes"')
      .replace(`/checkpoints/${name}\n`, `/checkpoints/${name}-v2\n`);
    const main = await git.resolveRef({ fs, dir: repoDir, ref: 'main' });
    const task = await backend.runTask('template:default/update-pipeline', {
      pipeline: entityRef,
      branchName: 'window-10m',
      specText,
    });
    expect(task.status).toBe('completed');
    const output = JSON.stringify(task.output);
    expect(output).toContain(
      `New checkpoint /checkpoints/${name}-v2 (was /checkpoints/${name})`,
    );
    expect(output).toContain('window (`pipeline.transformations[1].window`)');
    expect(await git.resolveRef({ fs, dir: repoDir, ref: 'main' })).toBe(main);

    // The branch holds exactly what the current generator renders from the
    // new spec with the repository's own options: no drift left.
    const read = async (filepath: string) =>
      Buffer.from(
        (
          await git.readBlob({
            fs,
            dir: repoDir,
            oid: await git.resolveRef({ fs, dir: repoDir, ref: 'window-10m' }),
            filepath,
          })
        ).blob,
      ).toString('utf8');
    const expected = renderPipeline(parsePipelineSpec(specText).spec!, {
      ...readRepositoryRender(await read(REPOSITORY_WORKFLOW_PATH)).options,
      specText,
    });
    expect(
      readRepositoryRender(await read(REPOSITORY_WORKFLOW_PATH)).options,
    ).toMatchObject({ namespace: 'data' });
    for (const file of expected) {
      expect([file.path, await read(file.path)]).toEqual([
        file.path,
        file.content,
      ]);
    }
    expect(
      (await git.listFiles({ fs, dir: repoDir, ref: 'window-10m' })).sort(),
    ).toEqual(expected.map(f => f.path).sort());
  });
});
