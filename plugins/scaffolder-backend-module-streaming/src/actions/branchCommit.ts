import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import git from 'isomorphic-git';
import fs from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod/v3';
import { examples } from './branchCommit.examples';
import { parseActionInput } from './parseActionInput';

const BRANCH =
  /^(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;

const inputSchema = z.object({
  repoName: z
    .string()
    .regex(
      /^[a-z0-9](?!.*\.\.)[a-z0-9._-]{0,99}$/,
      'expected the name of a local repository (lowercase letters, digits, ".", "_" and "-")',
    )
    .describe(
      'The local repository (in streaming.scaffolder.localPublish.baseDir) to commit to',
    ),
  branchName: z
    .string()
    .regex(
      BRANCH,
      'expected a git branch name such as update/orders-2026-11-30',
    )
    .describe(
      'The new branch; refused when it exists (unless this task made it)',
    ),
  baseBranch: z
    .string()
    .regex(BRANCH, 'expected a git branch name')
    .default('main')
    .describe('The branch the new one starts from; default `main`'),
  sourcePath: z
    .string()
    .optional()
    .describe(
      "Folder of the workspace that becomes the branch's tree; the whole workspace if omitted",
    ),
  gitCommitMessage: z
    .string()
    .min(1)
    .max(1000)
    .default('Update pipeline')
    .describe('Message of the commit; default "Update pipeline"'),
  gitAuthorName: z.string().min(1).max(200).default('Scaffolder'),
  gitAuthorEmail: z.string().email().default('scaffolder@backstage.io'),
});

const outputSchema = z.object({
  remoteUrl: z.string().describe('file: URL of the repository'),
  branchName: z.string().describe('The branch committed to'),
  commitHash: z
    .string()
    .describe(
      'The commit on the branch; empty in dry run and when the workspace equals the base branch (no branch is made)',
    ),
  changedFiles: z
    .array(z.string())
    .describe(
      'Paths that differ from the base branch (added, changed or removed)',
    ),
});

/** The trailer that ties a commit to the task that made it. */
const TASK_TRAILER = 'Scaffolder-Task-Id';

/**
 * `streaming:branch:commit`: commits the workspace as a new branch of a
 * local repository that `streaming:publish:local` created (the local
 * stand-in for a pull request; `publish:github:pull-request` in production).
 * The branch's tree is the workspace, on top of the base branch; the
 * repository's checked-out files are not touched. Merging the branch is the
 * owner's step.
 *
 * @public
 */
export function createBranchCommitAction(options: { baseDir: string }) {
  const { baseDir } = options;
  return createTemplateAction({
    id: 'streaming:branch:commit',
    description:
      'Commits the workspace as a new branch of a local repository in `streaming.scaffolder.localPublish.baseDir` (the local stand-in for a pull request), listing the files that differ from the base branch.',
    examples,
    supportsDryRun: true,
    schema: {
      input: () => inputSchema,
      output: () => outputSchema,
    },
    async handler(ctx) {
      const input = parseActionInput(inputSchema, ctx.input);
      const dir = resolveSafeChildPath(baseDir, input.repoName);
      const sourceDir = resolveSafeChildPath(
        ctx.workspacePath,
        input.sourcePath ?? '.',
      );
      ctx.output('remoteUrl', pathToFileURL(dir).href);
      ctx.output('branchName', input.branchName);
      let base: string;
      try {
        base = await git.resolveRef({ fs, dir, ref: input.baseBranch });
      } catch {
        throw new NotFoundError(
          `No local repository ${input.repoName} with a branch ${input.baseBranch}`,
        );
      }
      const existing = await git
        .resolveRef({ fs, dir, ref: `refs/heads/${input.branchName}` })
        .catch(() => undefined);
      if (existing) {
        const { commit } = await git.readCommit({ fs, dir, oid: existing });
        if (!commit.message.includes(`${TASK_TRAILER}: ${ctx.task.id}\n`)) {
          throw new ConflictError(
            `Branch ${input.branchName} of ${input.repoName} already exists; choose another name`,
          );
        }
      }
      // Blobs and trees are content-addressed: writing them changes no ref.
      const tree = await writeTree(dir, sourceDir);
      const changedFiles = await changedPaths(dir, base, tree);
      ctx.output('changedFiles', changedFiles);
      if (ctx.isDryRun || changedFiles.length === 0) {
        ctx.logger.info(
          changedFiles.length === 0
            ? `Nothing differs from ${input.baseBranch}: no branch made`
            : `Dry run: would commit ${changedFiles.length} files to ${input.branchName}`,
        );
        ctx.output('commitHash', '');
        return;
      }
      const commitHash = await ctx.checkpoint({
        key: `streaming.branch.commit.${input.repoName}.${input.branchName}`,
        fn: async () => {
          if (existing) {
            return existing;
          }
          const now = Math.floor(Date.now() / 1000);
          const author = {
            name: input.gitAuthorName,
            email: input.gitAuthorEmail,
            timestamp: now,
            timezoneOffset: 0,
          };
          const oid = await git.writeCommit({
            fs,
            dir,
            commit: {
              message: `${input.gitCommitMessage}\n\n${TASK_TRAILER}: ${ctx.task.id}\n`,
              tree,
              parent: [base],
              author,
              committer: author,
            },
          });
          await git.writeRef({
            fs,
            dir,
            ref: `refs/heads/${input.branchName}`,
            value: oid,
          });
          return oid;
        },
      });
      ctx.logger.info(
        `Committed ${changedFiles.length} files to ${input.branchName} of ${input.repoName}`,
        { commitHash },
      );
      ctx.output('commitHash', commitHash);
    },
  });
}

/** Writes a folder's tree into the repository's objects; refuses links. */
async function writeTree(dir: string, folder: string): Promise<string> {
  const entries = await fs.promises.readdir(folder, { withFileTypes: true });
  const tree = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.name === '.git') {
      continue;
    }
    if (entry.isSymbolicLink()) {
      throw new InputError(
        `The workspace contains a symbolic link (${entry.name}); links are not committed`,
      );
    }
    if (entry.isDirectory()) {
      tree.push({
        mode: '040000',
        path: entry.name,
        oid: await writeTree(dir, path),
        type: 'tree' as const,
      });
    } else if (entry.isFile()) {
      const { mode } = await fs.promises.stat(path);
      tree.push({
        mode: mode & 0o111 ? '100755' : '100644',
        path: entry.name,
        oid: await git.writeBlob({
          fs,
          dir,
          blob: await fs.promises.readFile(path),
        }),
        type: 'blob' as const,
      });
    }
  }
  return git.writeTree({ fs, dir, tree });
}

/** The paths whose content differs between a commit and a tree. */
async function changedPaths(
  dir: string,
  base: string,
  tree: string,
): Promise<string[]> {
  const changed: string[] = [];
  await git.walk({
    fs,
    dir,
    trees: [git.TREE({ ref: base }), git.TREE({ ref: tree })],
    map: async (path, [a, b]) => {
      if (path === '.') return true;
      const [typeA, typeB] = [await a?.type(), await b?.type()];
      if (typeA === 'tree' || typeB === 'tree') return true;
      if ((await a?.oid()) !== (await b?.oid())) changed.push(path);
      return true;
    },
  });
  return changed.sort();
}
