import packageJson from '../../package.json';

/**
 * The generator version: the `streaming-pipeline` CLI prints it with
 * `--version` and a pipeline repository's CI pins the CLI to it, so the
 * drift check renders with the generator that wrote the files.
 */
export const GENERATOR_VERSION: string = packageJson.version;
