import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
  chmodSync,
} from 'fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'path';
import { ParseArgsConfig, parseArgs } from 'util';
import {
  SpecError,
  formatSpecError,
  parsePipelineSpec,
  schemaFieldNames,
  sourceSchemaFile,
} from '@internal/plugin-streaming-common';
import { renderPipeline } from '../renderPipeline';
import { RenderOptions, checkRenderOptions } from '../RenderOptions';
import { GENERATOR_VERSION } from './version';

/** Where the CLI writes its messages (stderr) and results (stdout). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

const USAGE = `Usage:
  streaming-pipeline --version
      Prints the CLI's version, which is the version of the generator it embeds.
  streaming-pipeline validate FILE...
      Validates pipeline specs. Exit 0 when all are valid, 1 otherwise; messages on stderr.
  streaming-pipeline render FILE --out DIR [options]
      Renders the pipeline repository files of a spec into DIR.
      --namespace NS            Kubernetes namespace (default streaming)
      --image IMAGE             container image of the job
      --spark-version VERSION   Spark version of the image (default 4.0.0)
      --service-account NAME    Kubernetes service account of the driver (default spark)
      --kubernetes-cluster NAME Kubernetes cluster named in app-config
      --progress-topic TOPIC    default progress topic of the job
      --techdocs-base-url URL   base URL of the pipeline's TechDocs (runbook links in alerts)
      --repository-url URL      Git URL of the pipeline's repository (Argo CD Application)
`;

/** The render options a flag sets (all text). */
type FlagOption = Exclude<keyof RenderOptions, 'includeSpec' | 'specText'>;

/** The render options each flag sets. */
const RENDER_FLAGS: Record<string, FlagOption> = {
  namespace: 'namespace',
  image: 'image',
  'spark-version': 'sparkVersion',
  'service-account': 'serviceAccount',
  'kubernetes-cluster': 'kubernetesCluster',
  'progress-topic': 'progressTopic',
  'techdocs-base-url': 'techdocsBaseUrl',
  'repository-url': 'repositoryUrl',
};

class UsageError extends Error {}

/** `args` by `node:util`'s parseArgs; its errors (unknown option, missing value) are usage errors. */
function parseCommandArgs<T extends ParseArgsConfig['options']>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function describe(file: string, kind: string, error: SpecError): string {
  const at =
    error.line !== undefined ? `:${error.line}:${error.column ?? 1}` : '';
  return `${file}${at}: ${kind}: ${formatSpecError(error)}\n`;
}

/**
 * Reads and validates a spec; with a schema file (which must exist next to
 * the spec), columns are checked against its fields. Prints every warning
 * and error; `spec` is set when the spec is valid.
 */
function readSpec(io: CliIo, file: string) {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    io.stderr(`${file}: error: cannot read the file (${code})\n`);
    return undefined;
  }
  let result = parsePipelineSpec(text);
  const schema = result.spec && sourceSchemaFile(result.spec.pipeline.source);
  let schemaPath: string | undefined;
  const problems: string[] = [];
  if (schema !== undefined) {
    schemaPath = inside(dirname(path), schema);
    if (!schemaPath || !existsSync(schemaPath)) {
      problems.push(
        `the schema file ${schema} does not exist next to the spec`,
      );
    } else if (!inside(realpathSync(dirname(path)), realpathSync(schemaPath))) {
      problems.push(
        `the schema file ${schema} is a link to a file outside the spec's folder`,
      );
      schemaPath = undefined;
    } else {
      const fields = schemaFieldNames(schema, readFileSync(schemaPath, 'utf8'));
      if (fields) {
        result = parsePipelineSpec(text, { schemaFields: fields });
      } else {
        problems.push(
          `the schema file ${schema} is not an Avro record or a JSON Schema object`,
        );
      }
    }
  }
  for (const warning of result.warnings) {
    io.stderr(describe(file, 'warning', warning));
  }
  for (const error of result.errors) {
    io.stderr(describe(file, 'error', error));
  }
  for (const problem of problems) {
    io.stderr(`${file}: error: pipeline.source.schema: ${problem}\n`);
  }
  return {
    path,
    text,
    spec: problems.length === 0 ? result.spec : undefined,
    schema:
      schema !== undefined && schemaPath ? { schema, schemaPath } : undefined,
  };
}

function validate(io: CliIo, args: string[]): number {
  const files = parseCommandArgs(args, {}).positionals;
  if (files.length === 0) {
    throw new UsageError('validate needs at least one FILE');
  }
  let failed = 0;
  for (const file of files) {
    if (readSpec(io, file)?.spec) {
      io.stderr(`${file}: valid\n`);
    } else {
      failed++;
    }
  }
  return failed === 0 ? 0 : 1;
}

/** `target` inside `dir` (after resolving), else undefined. */
function inside(dir: string, target: string): string | undefined {
  const path = resolve(dir, target);
  const rel = relative(dir, path);
  return rel &&
    !rel.startsWith('..') &&
    !isAbsolute(rel) &&
    !rel.includes(`..${sep}`)
    ? path
    : undefined;
}

function render(io: CliIo, args: string[]): number {
  const flags: Record<string, { type: 'string' }> = { out: { type: 'string' } };
  for (const flag of Object.keys(RENDER_FLAGS)) {
    flags[flag] = { type: 'string' };
  }
  const { values, positionals: files } = parseCommandArgs(args, flags);
  const options: RenderOptions = {};
  for (const [flag, option] of Object.entries(RENDER_FLAGS)) {
    const value = values[flag];
    if (typeof value !== 'string') continue;
    const [problem] = checkRenderOptions({ [option]: value });
    if (problem) {
      throw new UsageError(`--${flag}: ${problem.message}`);
    }
    options[option] = value;
  }
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (files.length !== 1 || !out) {
    throw new UsageError('render needs one FILE and --out DIR');
  }
  const read = readSpec(io, files[0]);
  if (!read?.spec) {
    return 1;
  }
  const { spec } = read;
  const outDir = resolve(io.cwd, out);
  const specDir = dirname(read.path);
  const sameDir = outDir === specDir;
  const generated = renderPipeline(spec, {
    ...options,
    includeSpec: !sameDir,
    specText: read.text,
  });
  if (!sameDir && read.schema) {
    generated.push({
      path: read.schema.schema.replace(/^\.\//, ''),
      content: readFileSync(read.schema.schemaPath, 'utf8'),
    });
  }
  for (const file of generated) {
    const path = inside(outDir, file.path);
    if (!path) {
      throw new Error(`refusing to write outside ${out}: ${file.path}`);
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
    if (file.executable) {
      chmodSync(path, 0o755);
    }
    io.stdout(`${relative(io.cwd, path) || path}\n`);
  }
  io.stderr(`${files[0]}: rendered ${generated.length} files into ${out}\n`);
  return 0;
}

/**
 * The `streaming-pipeline` command line: `validate FILE...` and
 * `render FILE --out DIR`. Returns the exit code.
 */
export function runCli(argv: string[], io: CliIo): number {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'validate':
        return validate(io, args);
      case 'render':
        return render(io, args);
      case '--version':
      case '-v':
        io.stdout(
          `streaming-pipeline ${GENERATOR_VERSION} (generator @internal/plugin-streaming-codegen ${GENERATOR_VERSION})\n`,
        );
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stderr(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`streaming-pipeline: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
