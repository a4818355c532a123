import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import git from 'isomorphic-git';
import fs from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod/v3';
import { parseActionInput } from './parseActionInput';
import { examples } from './publishLocal.examples';

const inputSchema = z.object({
  repoName: z
    .string()
    .regex(
      /^[a-z0-9](?!.*\.\.)[a-z0-9._-]{0,99}$/,
      'expected 1 to 100 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
    )
    .describe(
      'Name of the repository folder: lowercase letters, digits, ".", "_" and "-"',
    ),
  sourcePath: z
    .string()
    .optional()
    .describe(
      'Folder of the workspace to publish; the whole workspace if omitted',
    ),
  defaultBranch: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/)
    .default('main')
    .describe('Branch of the initial commit; default `main`'),
  gitCommitMessage: z
    .string()
    .min(1)
    .max(1000)
    .default('Initial commit')
    .describe('Message of the initial commit; default "Initial commit"'),
  gitAuthorName: z
    .string()
    .min(1)
    .max(200)
    .default('Scaffolder')
    .describe('Commit author name; default "Scaffolder"'),
  gitAuthorEmail: z
    .string()
    .email()
    .default('scaffolder@backstage.io')
    .describe('Commit author email; default scaffolder@backstage.io'),
  catalogInfoPath: z
    .string()
    .default('catalog-info.yaml')
    .describe(
      'Path of the catalog descriptor inside the repository; default `catalog-info.yaml`',
    ),
});

const outputSchema = z.object({
  remoteUrl: z.string().describe('file: URL of the repository'),
  repoContentsUrl: z
    .string()
    .describe('file: URL of the repository folder, ending in "/"'),
  catalogInfoUrl: z
    .string()
    .describe('file: URL of the catalog descriptor, for `catalog:register`'),
  commitHash: z.string().describe('The initial commit; empty in dry run'),
});

/** The trailer that ties a commit to the task that made it. */
const TASK_TRAILER = 'Scaffolder-Task-Id';

/**
 * `streaming:publish:local`: commits the workspace into a new git repository
 * under the configured folder and outputs `file:` URLs the catalog can read,
 * so the Create page works end to end without a GitHub or GitLab account.
 *
 * @public
 */
export function createPublishLocalAction(options: { baseDir: string }) {
  const { baseDir } = options;
  return createTemplateAction({
    id: 'streaming:publish:local',
    description:
      'Commits the workspace into a new git repository in the local folder configured at `streaming.scaffolder.localPublish.baseDir`, for local development without an SCM account. Production templates use `publish:github`, `publish:gitlab` and friends instead.',
    examples,
    supportsDryRun: true,
    schema: {
      input: () => inputSchema,
      output: () => outputSchema,
    },
    async handler(ctx) {
      const input = parseActionInput(inputSchema, ctx.input);
      const { repoName, defaultBranch } = input;
      const sourceDir = resolveSafeChildPath(
        ctx.workspacePath,
        input.sourcePath ?? '.',
      );
      const repoDir = resolveSafeChildPath(baseDir, repoName);
      const catalogInfoFile = resolveSafeChildPath(
        repoDir,
        input.catalogInfoPath,
      );
      const repoContentsUrl = `${pathToFileURL(repoDir).href}/`;
      ctx.output('remoteUrl', pathToFileURL(repoDir).href);
      ctx.output('repoContentsUrl', repoContentsUrl);
      ctx.output('catalogInfoUrl', pathToFileURL(catalogInfoFile).href);

      if (ctx.isDryRun) {
        await assertNotTaken(repoDir, repoName, ctx.task.id);
        ctx.output('commitHash', '');
        return;
      }

      const commitHash = await ctx.checkpoint({
        key: `streaming.publish.local.${repoName}`,
        fn: async () => {
          const previous = await assertNotTaken(repoDir, repoName, ctx.task.id);
          if (previous) {
            return previous;
          }
          await fs.promises.mkdir(baseDir, { recursive: true });
          const stagingDir = join(
            baseDir,
            `.staging-${ctx.task.id}-${basename(repoDir)}`,
          );
          await fs.promises.rm(stagingDir, { recursive: true, force: true });
          await copyWorkspace(sourceDir, stagingDir);
          ctx.signal?.throwIfAborted();
          await git.init({ fs, dir: stagingDir, defaultBranch });
          await git.add({ fs, dir: stagingDir, filepath: '.' });
          const oid = await git.commit({
            fs,
            dir: stagingDir,
            message: `${input.gitCommitMessage}\n\n${TASK_TRAILER}: ${ctx.task.id}\n`,
            author: {
              name: input.gitAuthorName,
              email: input.gitAuthorEmail,
            },
          });
          await fs.promises.rename(stagingDir, repoDir);
          return oid;
        },
      });
      ctx.logger.info(`Published to local repository ${repoName}`, {
        commitHash,
      });
      ctx.output('commitHash', commitHash);
    },
  });
}

/**
 * A repository name is taken unless the repository was made by this very
 * task (a re-run after a crash); then its commit is returned.
 */
async function assertNotTaken(
  repoDir: string,
  repoName: string,
  taskId: string,
): Promise<string | undefined> {
  if (!fs.existsSync(repoDir)) {
    return undefined;
  }
  const [head] = await git.log({ fs, dir: repoDir, depth: 1 }).catch(() => []);
  if (head?.commit.message.includes(`${TASK_TRAILER}: ${taskId}\n`)) {
    return head.oid;
  }
  throw new ConflictError(
    `A local repository named "${repoName}" already exists; choose another name`,
  );
}

/**
 * Copies the workspace, refusing symbolic links: a link could point outside
 * the workspace and the catalog would later read through it.
 */
async function copyWorkspace(sourceDir: string, targetDir: string) {
  await fs.promises.cp(sourceDir, targetDir, {
    recursive: true,
    filter: async source => {
      const stat = await fs.promises.lstat(source);
      if (stat.isSymbolicLink()) {
        throw new InputError(
          `The workspace contains a symbolic link (${source.slice(
            sourceDir.length + 1,
          )}); links are not published`,
        );
      }
      return basename(source) !== '.git';
    },
  });
}
