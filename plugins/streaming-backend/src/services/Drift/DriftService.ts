import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  ANNOTATION_PIPELINE_SPEC,
  formatSpecError,
  GeneratedFileDrift,
  parsePipelineSpec,
  PipelineDriftResponse,
  SourceError,
} from '@internal/plugin-streaming-common';
import {
  GENERATOR_VERSION,
  readRepositoryRender,
  renderPipeline,
  REPOSITORY_WORKFLOW_PATH,
} from '@internal/plugin-streaming-codegen';
import {
  PipelineEntity,
  readOptionalDuration,
} from '@internal/plugin-streaming-node';
import { TtlCache } from '../../lib/TtlCache';
import {
  readRepositoryFiles,
  RepositoryLimits,
  RepositorySnapshot,
} from './RepositoryFiles';

/** Defaults of `streaming.drift`. */
export const DRIFT_DEFAULTS = {
  maxFiles: 500,
  maxBytes: 16 * 1024 * 1024,
  cacheTtl: { minutes: 1 },
};

/**
 * The folders the generator writes into: besides the root, the only places
 * read, and where a file with the generator's marker that is no longer
 * rendered is `extra`.
 */
const GENERATED_FOLDERS = [
  '.github/workflows',
  'argocd',
  'deploy',
  'docs',
  'job',
  'tests',
];

/**
 * The generator's marks on what it writes: the header comment of the job,
 * its tests, the maintenance job, the Dockerfile and pyproject.toml, and
 * the `managed-by` label of every Kubernetes object.
 */
const GENERATED_MARKERS = [
  /^# Generated (from pipeline\.yaml )?by the streaming platform/m,
  /app\.kubernetes\.io\/managed-by: streaming-platform/,
];

/** The spec annotation as a plain relative path (`./pipeline.yaml` -> `pipeline.yaml`). */
function specPath(annotation: string | undefined): string | undefined {
  const relative = (annotation ?? './pipeline.yaml').replace(/^\.\//, '');
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(
    relative,
  )
    ? relative
    : undefined;
}

function overall(
  files: GeneratedFileDrift[],
  errors: SourceError[],
): PipelineDriftResponse['state'] {
  if (errors.length > 0) return 'unknown';
  return files.every(f => f.state === 'unchanged') ? 'up-to-date' : 'drifted';
}

/**
 * Drift of a pipeline repository: its generated files against what the
 * current generator renders from the repository's own `pipeline.yaml`, with
 * the render options its workflow records (as the workflow's drift check
 * renders). Read at the entity's location (see {@link readRepositoryFiles});
 * answers are reused for `streaming.drift.cacheTtl` per entity revision.
 */
export class DriftService {
  static fromConfig(
    config: Config,
    reader: UrlReaderService,
    logger: LoggerService,
  ): DriftService {
    const own = config.getOptionalConfig('streaming.drift');
    const positive = (key: 'maxFiles' | 'maxBytes') => {
      const value = own?.getOptionalNumber(key) ?? DRIFT_DEFAULTS[key];
      if (!Number.isInteger(value) || value < 1) {
        throw new Error(
          `streaming.drift.${key}: expected a positive integer, got ${value}`,
        );
      }
      return value;
    };
    return new DriftService(
      reader,
      { maxFiles: positive('maxFiles'), maxBytes: positive('maxBytes') },
      readOptionalDuration(config, 'streaming.drift.cacheTtl', {
        defaultValue: DRIFT_DEFAULTS.cacheTtl,
        allowZero: true,
        logger,
      }),
      logger,
    );
  }

  private readonly answers: TtlCache<PipelineDriftResponse>;

  private constructor(
    private readonly reader: UrlReaderService,
    private readonly limits: RepositoryLimits,
    cacheTtlMs: number,
    private readonly logger: LoggerService,
  ) {
    this.answers = new TtlCache(cacheTtlMs);
  }

  getDrift(pipeline: PipelineEntity): Promise<PipelineDriftResponse> {
    return this.answers.get(`${pipeline.entityRef}\0${pipeline.revision}`, () =>
      this.check(pipeline),
    );
  }

  private async check(
    pipeline: PipelineEntity,
  ): Promise<PipelineDriftResponse> {
    const annotations = pipeline.entity.metadata.annotations ?? {};
    const answer = (
      files: GeneratedFileDrift[],
      errors: SourceError[],
      repositoryVersion?: string,
    ): PipelineDriftResponse => ({
      entityRef: pipeline.entityRef,
      state: overall(files, errors),
      generatorVersion: {
        current: GENERATOR_VERSION,
        ...(repositoryVersion ? { repository: repositoryVersion } : {}),
      },
      files,
      checkedAt: new Date().toISOString(),
      errors,
    });
    const failed = (source: string, message: string) =>
      answer([], [{ source, message }]);

    const spec = specPath(annotations[ANNOTATION_PIPELINE_SPEC]);
    if (!spec) {
      return failed(
        'repository',
        `${ANNOTATION_PIPELINE_SPEC} must be a relative path inside the repository folder, without ".."`,
      );
    }
    const location = annotations[ANNOTATION_LOCATION];
    if (!location) {
      return failed('repository', `the entity has no ${ANNOTATION_LOCATION}`);
    }
    let snapshot: RepositorySnapshot;
    try {
      snapshot = await readRepositoryFiles(
        this.reader,
        location,
        {
          // The spec's own folder too, when it is kept elsewhere.
          folders: spec.includes('/')
            ? [...GENERATED_FOLDERS, spec.slice(0, spec.lastIndexOf('/'))]
            : GENERATED_FOLDERS,
          accepts: file =>
            file === spec ||
            !file.includes('/') ||
            GENERATED_FOLDERS.some(folder => file.startsWith(`${folder}/`)),
        },
        this.limits,
      );
    } catch (error) {
      this.logger.debug('Could not read a pipeline repository', {
        entityRef: pipeline.entityRef,
        error: (error as Error).message,
      });
      return failed('repository', (error as Error).message);
    }
    const specText = snapshot.files.get(spec)?.toString('utf8');
    if (specText === undefined) {
      return failed('repository', `${spec} is not in the repository`);
    }
    const parsed = parsePipelineSpec(specText);
    if (!parsed.spec) {
      return failed(
        'spec',
        `${spec}: ${parsed.errors.map(formatSpecError).join('; ')}`,
      );
    }
    const workflow = snapshot.files.get(REPOSITORY_WORKFLOW_PATH);
    let recorded: ReturnType<typeof readRepositoryRender> = { options: {} };
    let rendered: ReturnType<typeof renderPipeline>;
    try {
      if (workflow) {
        recorded = readRepositoryRender(workflow.toString('utf8'));
      }
      rendered = renderPipeline(parsed.spec, {
        ...recorded.options,
        specText,
      });
    } catch (error) {
      return failed('render', (error as Error).message);
    }
    const expected = new Map(rendered.map(f => [f.path, f.content]));
    const stateOf = (path: string, content: string) => {
      const actual = snapshot.files.get(path);
      if (snapshot.links.has(path)) return 'changed';
      if (!actual) return 'missing';
      return actual.equals(Buffer.from(content, 'utf8'))
        ? 'unchanged'
        : 'changed';
    };
    const files: GeneratedFileDrift[] = rendered.map(({ path, content }) => ({
      path,
      state: stateOf(path, content),
    }));
    for (const [path, content] of snapshot.files) {
      const head = content.subarray(0, 4096).toString('utf8');
      if (
        !expected.has(path) &&
        path !== spec &&
        GENERATED_MARKERS.some(marker => marker.test(head))
      ) {
        files.push({ path, state: 'extra' });
      }
    }
    files.sort((a, b) => (a.path < b.path ? -1 : 1));
    return answer(files, [], recorded.generatorVersion);
  }
}
