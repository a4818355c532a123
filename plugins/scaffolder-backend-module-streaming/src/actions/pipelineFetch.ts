import {
  isChildPath,
  resolveSafeChildPath,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  fetchContents,
} from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_PIPELINE_SPEC,
  checkpointChanges,
  CheckpointChange,
  PipelineSpec,
} from '@internal/plugin-streaming-common';
import {
  GENERATOR_VERSION,
  readRepositoryRender,
  REPOSITORY_WORKFLOW_PATH,
} from '@internal/plugin-streaming-codegen';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod/v3';
import { readOwnedPipeline } from './readOwnedPipeline';
import { parseActionInput } from './parseActionInput';
import { examples } from './pipelineFetch.examples';
import { requireValidSpec } from './specInput';

const inputSchema = z.object({
  entityRef: z
    .string()
    .min(1)
    .max(300)
    .describe('The pipeline (Component of type streaming-pipeline) to update'),
  specText: z
    .string()
    .optional()
    .describe(
      "The new pipeline.yaml; empty or omitted to render the repository's own again (a generator upgrade, or a spec already changed in the repository)",
    ),
  targetPath: z
    .string()
    .optional()
    .describe(
      'Folder of the workspace to fetch into; the workspace root if omitted',
    ),
});

const outputSchema = z.object({
  pipelineName: z.string().describe('The pipeline name'),
  specText: z
    .string()
    .describe('The spec to render: the new one, or the repository’s'),
  localRepoName: z
    .string()
    .describe(
      'The local repository (streaming:publish:local) holding the pipeline, for streaming:branch:commit; empty for a repository elsewhere',
    ),
  repoUrl: z
    .string()
    .describe(
      "The repository in the scaffolder's repoUrl form (github.com?owner=team&repo=clicks), for publish:github:pull-request; empty for a local repository",
    ),
  generatorVersion: z.object({
    repository: z
      .string()
      .describe(
        'The version that rendered the repository; empty when not recorded',
      ),
    current: z.string().describe('The version that renders now'),
  }),
  checkpointChanges: z
    .array(
      z.object({
        what: z.string(),
        path: z.string(),
        before: z.string(),
        after: z.string(),
      }),
    )
    .describe(
      'Changes of the new spec that the deployed checkpoint cannot follow; only with a new sink.checkpoint',
    ),
  summary: z.string().describe('What the update changes, as Markdown'),
});

/** Where a pipeline's repository is, from its catalog-info.yaml's location. */
function repositoryOf(
  location: string,
  localBaseDir: string,
  integrations: ScmIntegrationRegistry,
): { folderUrl: string; localRepoName: string; repoUrl: string } {
  const { type, target } = parseLocationRef(location);
  if (type !== 'url') {
    throw new InputError(
      `the pipeline was registered from a ${type} location (${target}); only a repository the scaffolder can fetch (a url location) can be updated`,
    );
  }
  const url = new URL(target);
  const folderUrl = new URL('./', url).href;
  if (url.protocol === 'file:') {
    const file = fileURLToPath(url);
    if (!isChildPath(localBaseDir, file)) {
      throw new InputError(
        `${target} is not in the local repositories folder (streaming.scaffolder.localPublish.baseDir)`,
      );
    }
    const parts = file.slice(localBaseDir.length + 1).split('/');
    if (parts.length !== 2) {
      throw new InputError(
        `${target}: a local repository's catalog-info.yaml must be at its root`,
      );
    }
    return { folderUrl, localRepoName: parts[0], repoUrl: '' };
  }
  const integration = integrations.byUrl(target);
  // GitHub file URLs: /<owner>/<repo>/blob/<ref>/<path>.
  const [, owner, repo, kind] = url.pathname.split('/');
  if (integration?.type !== 'github' || !owner || !repo || kind !== 'blob') {
    throw new InputError(
      `${target}: pull requests are opened on GitHub repositories with an integration in app-config; update other repositories with their own publish action`,
    );
  }
  return {
    folderUrl,
    localRepoName: '',
    repoUrl: `${url.host}?owner=${encodeURIComponent(
      owner,
    )}&repo=${encodeURIComponent(repo)}`,
  };
}

/** The Markdown lines of the checkpoint changes. */
function describeChanges(changes: CheckpointChange[]): string[] {
  return changes.map(
    c => `- ${c.what} (\`${c.path}\`): ${c.before} → ${c.after}`,
  );
}

/**
 * `streaming:pipeline:fetch`: fetches the repository of a pipeline the user
 * owns (read at its catalog-info.yaml's location through the UrlReader) into
 * the workspace for the Update pipeline template, and checks the new spec
 * against the repository's, the deployed one: a change the checkpoint
 * cannot follow (the runbook's list, `checkpointChanges`) fails the step
 * unless the new spec starts a new checkpoint, in dry run as well.
 *
 * @public
 */
export function createPipelineFetchAction(options: {
  reader: UrlReaderService;
  integrations: ScmIntegrations;
  catalog: CatalogService;
  localBaseDir: string;
}) {
  const { reader, integrations, catalog, localBaseDir } = options;
  return createTemplateAction({
    id: 'streaming:pipeline:fetch',
    description:
      "Fetches a pipeline's repository into the workspace and checks a new pipeline.yaml against the deployed one: a change that breaks the checkpoint (source, grouping, window, metrics, deduplication, watermark, output mode, sink) fails unless the new spec sets a new sink.checkpoint. Outputs the spec to render and where to publish.",
    examples,
    supportsDryRun: true,
    schema: {
      input: () => inputSchema,
      output: () => outputSchema,
    },
    async handler(ctx) {
      const input = parseActionInput(inputSchema, ctx.input);
      const entity = await readOwnedPipeline({
        catalog,
        credentials: await ctx.getInitiatorCredentials(),
        entityRef: input.entityRef,
        user: ctx.user,
        refused: 'it is not updated',
      });
      const entityRef = stringifyEntityRef(entity);
      const annotations = entity.metadata.annotations ?? {};
      const repository = repositoryOf(
        annotations[ANNOTATION_LOCATION] ?? '',
        localBaseDir,
        integrations,
      );
      const targetPath = input.targetPath ?? '.';
      const targetDir = resolveSafeChildPath(ctx.workspacePath, targetPath);
      await fetchContents({
        reader,
        integrations,
        fetchUrl: repository.folderUrl,
        outputPath: targetDir,
      });
      const specFile = (annotations[ANNOTATION_PIPELINE_SPEC] ?? '').trim();
      const read = async (path: string) => {
        try {
          return await fs.promises.readFile(
            resolveSafeChildPath(targetDir, path),
            'utf8',
          );
        } catch {
          throw new InputError(
            `${entityRef}: the repository has no ${path} (${repository.folderUrl})`,
          );
        }
      };
      const deployedText = await read(specFile || 'pipeline.yaml');
      const deployed: PipelineSpec = requireValidSpec({
        specText: deployedText,
      });
      const specText = input.specText?.trim() ? input.specText : deployedText;
      const next = requireValidSpec({ specText });
      if (next.pipeline.name !== deployed.pipeline.name) {
        throw new InputError(
          `specText: pipeline.name is ${next.pipeline.name}, not ${deployed.pipeline.name}; a pipeline keeps its name (create a new one instead)`,
        );
      }
      const workflow = await read(REPOSITORY_WORKFLOW_PATH).catch(() => '');
      const repositoryVersion = workflow
        ? readRepositoryRender(workflow).generatorVersion ?? ''
        : '';
      const changes = checkpointChanges(deployed, next);
      const oldCheckpoint = deployed.pipeline.sink.checkpoint;
      const newCheckpoint = next.pipeline.sink.checkpoint;
      if (changes.length > 0 && oldCheckpoint === newCheckpoint) {
        throw new InputError(
          [
            `specText: this change breaks the checkpoint ${oldCheckpoint}; a restarted query could not use it:`,
            ...describeChanges(changes),
            'Set a new sink.checkpoint in the spec to start the pipeline on a new checkpoint, then backfill from where the old one stopped (runbook: Reprocessing); nothing was changed.',
          ].join('\n'),
        );
      }
      const summary = [
        `Update of ${entityRef}: generator ${
          repositoryVersion || 'unknown'
        } → ${GENERATOR_VERSION}${
          specText === deployedText
            ? ", the repository's pipeline.yaml"
            : ', a new pipeline.yaml'
        }.`,
        ...(changes.length > 0
          ? [
              '',
              `New checkpoint ${newCheckpoint} (was ${oldCheckpoint}) for changes the old one cannot follow:`,
              ...describeChanges(changes),
              '',
              'After the merge, backfill from where the old checkpoint stopped (runbook: Reprocessing).',
            ]
          : []),
      ].join('\n');
      ctx.logger.info(summary);
      ctx.output('pipelineName', next.pipeline.name);
      ctx.output('specText', specText);
      ctx.output('localRepoName', repository.localRepoName);
      ctx.output('repoUrl', repository.repoUrl);
      ctx.output('generatorVersion', {
        repository: repositoryVersion,
        current: GENERATOR_VERSION,
      });
      ctx.output('checkpointChanges', changes);
      ctx.output('summary', summary);
    },
  });
}
