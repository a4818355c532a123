import { readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { GeneratedFile } from './GeneratedFile';

/**
 * The shipped Python package's folder. This file sits directly in `src/`
 * (and, built, in `dist/` or the packed CLI's `bin/`), so the package's
 * `python/` folder is beside it in every layout; the packed CLI carries a
 * copy (scripts/packCli.js).
 */
const PYTHON_DIR = join(__dirname, '..', 'python');

/** Where the package goes in a pipeline repository: beside job/main.py. */
export const RUNTIME_PACKAGE = 'streaming_runtime';

let cached: GeneratedFile[] | undefined;

function pythonFiles(dir: string, relative: string): GeneratedFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap(entry => {
      const path = posix.join(relative, entry.name);
      if (entry.isDirectory()) {
        return entry.name === '__pycache__'
          ? []
          : pythonFiles(join(dir, entry.name), path);
      }
      return /\.(py|toml)$/.test(entry.name)
        ? [{ path, content: readFileSync(join(dir, entry.name), 'utf8') }]
        : [];
    });
}

/**
 * The fixed Python of every pipeline repository, copied unchanged: the
 * job's runtime (`job/streaming_runtime/...`: sources, sinks, progress
 * publisher, graceful stop) and, from `python/repository/`, the ruff and
 * pytest settings (`pyproject.toml`) and the tests' fixtures and sample
 * records (`tests/conftest.py`, `tests/pipeline_samples.py`). Real Python
 * files of this package, linted and tested as Python.
 */
export function runtimeFiles(): GeneratedFile[] {
  cached ??= [
    ...pythonFiles(join(PYTHON_DIR, RUNTIME_PACKAGE), `job/${RUNTIME_PACKAGE}`),
    ...pythonFiles(join(PYTHON_DIR, 'repository'), ''),
  ];
  return cached.map(file => ({ ...file }));
}
