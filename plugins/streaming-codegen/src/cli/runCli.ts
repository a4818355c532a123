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
  REGISTRY_SUBJECT_PATTERN,
  SchemaRegistryClient,
  SpecError,
  fieldsThatBreak,
  formatSpecError,
  parsePipelineSpec,
  schemaFieldNames,
  sourceSchemaFile,
} from '@internal/plugin-streaming-common';
import { renderPipeline } from '../renderPipeline';
import { RenderOptions, checkRenderOptions } from '../RenderOptions';
import {
  sourceRegistrySchema,
  unregisteredSourceReason,
} from '../schemaRegistry/sourceRegistrySchema';
import { GENERATOR_VERSION } from './version';

/** Where the CLI writes its messages (stderr) and results (stdout), and its environment. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The environment variables the registry's credentials come from. */
export const REGISTRY_USERNAME_ENV = 'SCHEMA_REGISTRY_USERNAME';
export const REGISTRY_PASSWORD_ENV = 'SCHEMA_REGISTRY_PASSWORD';

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
  streaming-pipeline schema register FILE --registry-url URL [--subject SUBJECT] [--dry-run]
      Registers the schema of the records the spec's Kafka source reads (its schema
      file or inline fields) as the next version of SUBJECT (default <topic>-value),
      only when the registry finds it compatible with the latest version under the
      subject's compatibility level. Exit 0 when registered or already registered
      (prints the version), 1 when incompatible (names the fields that break;
      nothing is registered) or on an error.
      --registry-url URL        http(s) base URL of the Confluent-compatible API,
                                without credentials
      --subject SUBJECT         subject to register under (default <topic>-value)
      --dry-run                 check compatibility only; register nothing
      Credentials come from the environment only: ${REGISTRY_USERNAME_ENV},
      ${REGISTRY_PASSWORD_ENV}.
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

/** `--registry-url`: an http(s) URL without credentials (never echoed: it may hold some). */
function registryUrl(value: string | undefined): string {
  let url: URL | undefined;
  try {
    url = value ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (
    !url ||
    !['http:', 'https:'].includes(url.protocol) ||
    url.username ||
    url.password
  ) {
    throw new UsageError(
      `--registry-url: expected an http(s) URL without credentials (they come from ${REGISTRY_USERNAME_ENV} and ${REGISTRY_PASSWORD_ENV})`,
    );
  }
  return value!;
}

/**
 * `schema register`: registers the source's schema under its subject when
 * the registry finds it compatible with the latest version; with
 * `--dry-run` only checks.
 */
async function registerSchema(io: CliIo, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    'registry-url': { type: 'string' },
    subject: { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  const [action, ...files] = positionals;
  if (action !== 'register' || files.length !== 1) {
    throw new UsageError(
      'schema register needs one FILE and --registry-url URL',
    );
  }
  const url = registryUrl(values['registry-url']);
  if (
    values.subject !== undefined &&
    !REGISTRY_SUBJECT_PATTERN.test(values.subject)
  ) {
    throw new UsageError(
      '--subject: expected a subject name such as orders-value (letters, digits, ".", "_" and "-")',
    );
  }
  const file = files[0];
  const dryRun = values['dry-run'] === true;
  const read = readSpec(io, file);
  if (!read?.spec) {
    return 1;
  }
  const unregistered = unregisteredSourceReason(read.spec);
  const schema = sourceRegistrySchema(
    read.spec,
    read.schema && readFileSync(read.schema.schemaPath, 'utf8'),
  );
  if (unregistered || !schema || read.spec.pipeline.source.type !== 'kafka') {
    io.stderr(`${file}: nothing to register: ${unregistered ?? 'no schema'}\n`);
    return 0;
  }
  const subject = values.subject ?? `${read.spec.pipeline.source.topic}-value`;
  const username = io.env[REGISTRY_USERNAME_ENV] || undefined;
  const client = new SchemaRegistryClient({
    url,
    username,
    password: username ? io.env[REGISTRY_PASSWORD_ENV] : undefined,
    requestTimeoutMs: 30_000,
  });
  const fail = (message: string) => {
    io.stderr(`${file}: error: ${message}; nothing registered\n`);
    return 1;
  };
  try {
    const existing = await client.findVersion(
      subject,
      schema.schema,
      schema.schemaType,
    );
    if (existing) {
      io.stdout(
        `${file}: subject ${subject} already holds this schema as version ${existing.version} (schema id ${existing.id}); nothing to register\n`,
      );
      return 0;
    }
    const latest = await client.findLatest(subject);
    if (latest) {
      if (latest.schemaType !== schema.schemaType) {
        return fail(
          `subject ${subject} holds ${latest.schemaType} schemas, the spec's schema is ${schema.schemaType}`,
        );
      }
      const [level, result] = await Promise.all([
        client.getCompatibilityLevel(subject),
        client.checkCompatibility(subject, schema.schema, schema.schemaType),
      ]);
      if (!result.compatible) {
        const fields = fieldsThatBreak(result.incompatibilities);
        return fail(
          `not ${level} compatible with version ${
            latest.version
          } of subject ${subject}${
            fields.length > 0 ? `; fields that break: ${fields.join(', ')}` : ''
          }`,
        );
      }
      io.stderr(
        `${file}: ${level} compatible with version ${latest.version} of subject ${subject}\n`,
      );
    } else {
      io.stderr(
        `${file}: subject ${subject} has no versions yet: nothing to be compatible with\n`,
      );
    }
    if (dryRun) {
      io.stdout(`${file}: dry run: nothing registered under ${subject}\n`);
      return 0;
    }
    const id = await client.register(subject, schema.schema, schema.schemaType);
    const registered = await client.findVersion(
      subject,
      schema.schema,
      schema.schemaType,
    );
    io.stdout(
      `${file}: registered under subject ${subject}${
        registered ? ` as version ${registered.version}` : ''
      } (schema id ${id})\n`,
    );
    return 0;
  } catch (error) {
    return fail(
      `schema registry: subject ${subject}: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}

/**
 * The `streaming-pipeline` command line: `validate FILE...`,
 * `render FILE --out DIR` and `schema register FILE --registry-url URL`.
 * Resolves to the exit code.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'validate':
        return validate(io, args);
      case 'render':
        return render(io, args);
      case 'schema':
        return await registerSchema(io, args);
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
