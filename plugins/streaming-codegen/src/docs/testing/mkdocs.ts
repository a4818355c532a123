import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, '../../../../..');

const VENV_MKDOCS = join(REPO_ROOT, '.tools/techdocs-venv/bin/mkdocs');

let checked = false;

/**
 * The `mkdocs` of the project's TechDocs toolchain. `scripts/techdocs.sh`
 * (idempotent, a few milliseconds when all is there) installs or updates it
 * first. Throws when it cannot be had: the docs tests run the real mkdocs or
 * fail, they never skip.
 */
export function findMkdocs(): string {
  if (!checked) {
    const result = spawnSync('bash', [join(REPO_ROOT, 'scripts/techdocs.sh')], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
      timeout: 600_000,
    });
    if (result.status !== 0 || !existsSync(VENV_MKDOCS)) {
      throw new Error(
        `mkdocs is missing: scripts/techdocs.sh failed to install ${VENV_MKDOCS}\n${result.stderr}`,
      );
    }
    checked = true;
  }
  return VENV_MKDOCS;
}

/** The result of `mkdocs build --strict`. */
export interface MkdocsBuild {
  status: number | null;
  /** mkdocs' log (it logs to stderr). */
  log: string;
  /** Reads a file of the built site, such as `runbook/index.html`. */
  read(path: string): string;
  /** Removes the built site. */
  remove(): void;
}

/** Runs `mkdocs build --strict` on a `mkdocs.yml`, into a temporary folder. */
export function mkdocsBuild(configFile: string): MkdocsBuild {
  const site = mkdtempSync(join(tmpdir(), 'techdocs-site-'));
  const result = spawnSync(
    findMkdocs(),
    ['build', '--strict', '--config-file', configFile, '--site-dir', site],
    {
      encoding: 'utf8',
      env: { ...process.env, NO_MKDOCS_2_WARNING: '1' },
      timeout: 120_000,
    },
  );
  return {
    status: result.status,
    log: `${result.stdout ?? ''}${result.stderr ?? ''}${
      result.error ? String(result.error) : ''
    }`,
    read: path => readFileSync(join(site, path), 'utf8'),
    remove: () => rmSync(site, { recursive: true, force: true }),
  };
}
