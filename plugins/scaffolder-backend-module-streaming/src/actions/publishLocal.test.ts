import { createMockDirectory } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import git from 'isomorphic-git';
import fs from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invokeAction } from '../__testUtils__/invokeAction';
import { runExample } from '../__testUtils__/runExample';
import { createPublishLocalAction } from './publishLocal';
import { examples } from './publishLocal.examples';

describe('streaming:publish:local', () => {
  const dir = createMockDirectory();
  const baseDir = join(dir.path, 'repos');
  const workspacePath = join(dir.path, 'workspace');
  const action = createPublishLocalAction({ baseDir });

  beforeEach(() => {
    dir.clear();
    dir.setContent({
      workspace: {
        'catalog-info.yaml': 'kind: Component\n',
        'pipeline.yaml': 'pipeline:\n  name: orders\n',
        pipeline: { 'job.py': 'print("hi")\n' },
      },
    });
  });

  const run = (
    input: JsonObject,
    options: { isDryRun?: boolean; taskId?: string } = {},
  ) =>
    invokeAction(action, input, {
      workspacePath,
      taskId: 'task-1',
      ...options,
    });

  it('commits the workspace into a new repository and outputs file: URLs', async () => {
    const outputs = await run({ repoName: 'orders-to-delta' });
    const repoDir = join(baseDir, 'orders-to-delta');
    expect(outputs).toEqual({
      remoteUrl: `file://${repoDir}`,
      repoContentsUrl: `file://${repoDir}/`,
      catalogInfoUrl: `file://${repoDir}/catalog-info.yaml`,
      commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(
      (await git.listFiles({ fs, dir: repoDir, ref: 'main' })).sort(),
    ).toEqual(['catalog-info.yaml', 'pipeline.yaml', 'pipeline/job.py']);
    const [head] = await git.log({ fs, dir: repoDir, depth: 1 });
    expect(head.oid).toBe(outputs.commitHash);
    expect(head.commit.message).toBe(
      'Initial commit\n\nScaffolder-Task-Id: task-1\n',
    );
    expect(fs.readFileSync(fileURLToPath(outputs.catalogInfoUrl), 'utf8')).toBe(
      'kind: Component\n',
    );
    expect(fs.readdirSync(baseDir)).toEqual(['orders-to-delta']);
  });

  it('is idempotent for the same task and refuses a name taken by another', async () => {
    const first = await run({ repoName: 'orders' });
    const again = await run({ repoName: 'orders' });
    expect(again.commitHash).toBe(first.commitHash);
    await expect(
      run({ repoName: 'orders' }, { taskId: 'task-2' }),
    ).rejects.toThrow(
      'A local repository named "orders" already exists; choose another name',
    );
    await expect(
      run({ repoName: 'orders' }, { taskId: 'task-2', isDryRun: true }),
    ).rejects.toThrow('already exists');
  });

  it('writes nothing in dry run', async () => {
    const outputs = await run({ repoName: 'dry' }, { isDryRun: true });
    expect(outputs.commitHash).toBe('');
    expect(outputs.catalogInfoUrl).toBe(
      `file://${join(baseDir, 'dry')}/catalog-info.yaml`,
    );
    expect(fs.existsSync(baseDir)).toBe(false);
  });

  it('publishes a folder of the workspace', async () => {
    const outputs = await run({
      repoName: 'job-only',
      sourcePath: 'pipeline',
      catalogInfoPath: 'job.py',
    });
    const repoDir = join(baseDir, 'job-only');
    expect(await git.listFiles({ fs, dir: repoDir, ref: 'main' })).toEqual([
      'job.py',
    ]);
    expect(outputs.catalogInfoUrl).toBe(`file://${repoDir}/job.py`);
  });

  it.each([
    ['../escape', /repoName: expected 1 to 100 lowercase letters/],
    ['/etc', /repoName: expected 1 to 100 lowercase letters/],
    ['a..b', /repoName: expected 1 to 100 lowercase letters/],
    ['Orders', /repoName: expected 1 to 100 lowercase letters/],
    ['.hidden', /repoName: expected 1 to 100 lowercase letters/],
  ])('refuses the repository name %j', async (repoName, message) => {
    await expect(run({ repoName })).rejects.toThrow(message);
    expect(fs.existsSync(baseDir) ? fs.readdirSync(baseDir) : []).toEqual([]);
    expect(fs.readdirSync(dir.path).sort()).not.toContain('escape');
  });

  it('refuses paths that leave the workspace or the repository', async () => {
    await expect(
      run({ repoName: 'escape', sourcePath: '../..' }),
    ).rejects.toThrow(/outside/);
    await expect(
      run({ repoName: 'escape', catalogInfoPath: '../../x.yaml' }),
    ).rejects.toThrow(/outside/);
    expect(fs.existsSync(baseDir)).toBe(false);
  });

  it('refuses symbolic links in the workspace', async () => {
    fs.symlinkSync('/etc/passwd', join(workspacePath, 'passwd'));
    await expect(run({ repoName: 'links' })).rejects.toThrow(
      'The workspace contains a symbolic link (passwd); links are not published',
    );
    expect(fs.existsSync(join(baseDir, 'links'))).toBe(false);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const [outputs] = await runExample(action, example, { workspacePath });
      expect(outputs.commitHash).toMatch(/^[0-9a-f]{40}$/);
      expect(fs.existsSync(fileURLToPath(String(outputs.remoteUrl)))).toBe(
        true,
      );
    },
  );
});
