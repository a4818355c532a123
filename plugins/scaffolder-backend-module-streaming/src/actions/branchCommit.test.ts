import { createMockDirectory } from '@backstage/backend-test-utils';
import git from 'isomorphic-git';
import fs from 'node:fs';
import { join } from 'node:path';
import { invokeAction } from '../__testUtils__/invokeAction';
import { runExample } from '../__testUtils__/runExample';
import { createBranchCommitAction } from './branchCommit';
import { examples } from './branchCommit.examples';
import { createPublishLocalAction } from './publishLocal';

describe('streaming:branch:commit', () => {
  const dir = createMockDirectory();
  const baseDir = join(dir.path, 'repos');
  const workspacePath = join(dir.path, 'workspace');
  const repoDir = join(baseDir, 'orders-to-delta');
  const action = createBranchCommitAction({ baseDir });

  const files = (ref: string) => git.listFiles({ fs, dir: repoDir, ref });
  const show = async (ref: string, filepath: string) =>
    Buffer.from(
      (
        await git.readBlob({
          fs,
          dir: repoDir,
          oid: await git.resolveRef({ fs, dir: repoDir, ref }),
          filepath,
        })
      ).blob,
    ).toString('utf8');

  beforeEach(async () => {
    dir.clear();
    dir.setContent({
      workspace: {
        'catalog-info.yaml': 'kind: Component\n',
        'pipeline.yaml': 'pipeline:\n  name: orders\n',
        job: { 'main.py': 'print("v1")\n', 'old.py': 'print("old")\n' },
      },
    });
    await invokeAction(
      createPublishLocalAction({ baseDir }),
      { repoName: 'orders-to-delta' },
      { workspacePath, taskId: 'create' },
    );
    // The update: one file changed, one added, one removed.
    fs.writeFileSync(join(workspacePath, 'job/main.py'), 'print("v2")\n');
    fs.writeFileSync(join(workspacePath, 'job/new.py'), 'print("new")\n');
    fs.rmSync(join(workspacePath, 'job/old.py'));
  });

  const run = (input = {}, options = {}) =>
    invokeAction(
      action,
      { repoName: 'orders-to-delta', branchName: 'update/orders', ...input },
      { workspacePath, taskId: 'update-1', ...options },
    );

  it('commits the workspace as a new branch on main, leaving main and the checked-out files alone', async () => {
    const main = await git.resolveRef({ fs, dir: repoDir, ref: 'main' });
    const outputs = await run();
    expect(outputs).toEqual({
      remoteUrl: `file://${repoDir}`,
      branchName: 'update/orders',
      commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
      changedFiles: ['job/main.py', 'job/new.py', 'job/old.py'],
    });
    const [head] = await git.log({ fs, dir: repoDir, ref: 'update/orders' });
    expect(head.oid).toBe(outputs.commitHash);
    expect(head.commit.parent).toEqual([main]);
    expect(head.commit.message).toBe(
      'Update pipeline\n\nScaffolder-Task-Id: update-1\n',
    );
    expect((await files('update/orders')).sort()).toEqual([
      'catalog-info.yaml',
      'job/main.py',
      'job/new.py',
      'pipeline.yaml',
    ]);
    expect(await show('update/orders', 'job/main.py')).toBe('print("v2")\n');
    expect(await git.resolveRef({ fs, dir: repoDir, ref: 'main' })).toBe(main);
    expect(fs.readFileSync(join(repoDir, 'job/main.py'), 'utf8')).toBe(
      'print("v1")\n',
    );
  });

  it('is idempotent for its task and refuses a branch another task made', async () => {
    const first = await run();
    expect((await run()).commitHash).toBe(first.commitHash);
    await expect(run({}, { taskId: 'update-2' })).rejects.toThrow(
      'Branch update/orders of orders-to-delta already exists; choose another name',
    );
  });

  it('in dry run lists the changes and makes no branch', async () => {
    const outputs = await run({}, { isDryRun: true });
    expect(outputs.commitHash).toBe('');
    expect(outputs.changedFiles).toEqual([
      'job/main.py',
      'job/new.py',
      'job/old.py',
    ]);
    expect(await git.listBranches({ fs, dir: repoDir })).toEqual(['main']);
  });

  it('makes no branch when nothing differs from the base branch', async () => {
    fs.writeFileSync(join(workspacePath, 'job/main.py'), 'print("v1")\n');
    fs.writeFileSync(join(workspacePath, 'job/old.py'), 'print("old")\n');
    fs.rmSync(join(workspacePath, 'job/new.py'));
    expect(await run()).toMatchObject({ commitHash: '', changedFiles: [] });
    expect(await git.listBranches({ fs, dir: repoDir })).toEqual(['main']);
  });

  it('refuses symbolic links, an unknown repository and a bad branch name', async () => {
    fs.symlinkSync('/etc/passwd', join(workspacePath, 'job/passwd'));
    await expect(run()).rejects.toThrow(
      'The workspace contains a symbolic link (passwd); links are not committed',
    );
    fs.rmSync(join(workspacePath, 'job/passwd'));
    await expect(run({ repoName: 'nope' })).rejects.toThrow(
      'No local repository nope with a branch main',
    );
    await expect(run({ branchName: '../main' })).rejects.toThrow(
      'expected a git branch name',
    );
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const [outputs] = await runExample(action, example, {
        workspacePath,
        taskId: 'example',
      });
      expect(outputs.changedFiles).toHaveLength(3);
      expect(await show(outputs.branchName, 'job/new.py')).toBe(
        'print("new")\n',
      );
    },
  );
});
