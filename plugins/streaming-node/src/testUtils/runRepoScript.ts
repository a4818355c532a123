import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The monorepo root, where `scripts/` lives (tests run in a package folder). */
export function findRepoRoot(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'scripts/kafka.sh'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no scripts/kafka.sh in ${process.cwd()} or above`);
    }
  }
}

/**
 * Runs one of the repository's scripts (`scripts/NAME`) and returns its
 * standard output, trimmed. A failing script rejects with its output, so a
 * service that cannot start fails the test with the reason instead of
 * skipping it.
 */
export function runRepoScript(
  name: string,
  args: string[],
  timeoutMs = 600_000,
): Promise<string> {
  const root = findRepoRoot();
  return new Promise((done, fail) => {
    execFile(
      'bash',
      [path.join(root, 'scripts', name), ...args],
      { cwd: root, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          fail(
            new Error(
              `scripts/${name} ${args.join(' ')} failed: ${
                error.message
              }\n${stdout}\n${stderr}`,
            ),
          );
        } else {
          done(stdout.trim());
        }
      },
    );
  });
}
