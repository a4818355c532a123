import { parse } from 'yaml';
import { RenderOptions } from '../RenderOptions';
import { CLI_ENV, CLI_PACKAGE, DRIFT_FLAGS, envName } from './renderCi';

/** Where a pipeline repository's workflow (the record of its render) lives. */
export const REPOSITORY_WORKFLOW_PATH = '.github/workflows/pipeline.yaml';

/**
 * How a pipeline repository was rendered, as its generated workflow records
 * it for the drift check.
 *
 * @public
 */
export interface RepositoryRender {
  /** The generator (and CLI) version that wrote the files, when recorded. */
  generatorVersion?: string;
  /**
   * The render options the workflow repeats (`RENDER_*`), unchecked:
   * `renderPipeline` checks them as it checks any option.
   */
  options: RenderOptions;
}

/**
 * Reads the generator version and the render options from the text of a
 * pipeline repository's `.github/workflows/pipeline.yaml`, the variables
 * {@link ciWorkflow} writes. Throws an `Error` naming the file when it is
 * not a workflow with an `env` mapping.
 *
 * @public
 */
export function readRepositoryRender(workflowText: string): RepositoryRender {
  let workflow: unknown;
  try {
    workflow = parse(workflowText, { schema: 'core', maxAliasCount: 0 });
  } catch (error) {
    throw new Error(
      `${REPOSITORY_WORKFLOW_PATH} is not YAML: ${(error as Error).message}`,
    );
  }
  const env = (workflow as { env?: unknown } | null)?.env;
  if (!env || typeof env !== 'object' || Array.isArray(env)) {
    throw new Error(`${REPOSITORY_WORKFLOW_PATH} has no env mapping`);
  }
  const text = (key: string) => {
    const value = (env as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : undefined;
  };
  const options: Record<string, string> = {};
  for (const [, option] of DRIFT_FLAGS) {
    const value = text(envName(option));
    if (value !== undefined) {
      options[option] = value;
    }
  }
  const cli = text(CLI_ENV);
  const prefix = `${CLI_PACKAGE}@`;
  return {
    generatorVersion: cli?.startsWith(prefix)
      ? cli.slice(prefix.length)
      : undefined,
    options: options as RenderOptions,
  };
}
