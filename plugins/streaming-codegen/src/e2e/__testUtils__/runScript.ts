import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot } from './repoRoot';

/**
 * Runs one of the repository's scripts (`scripts/NAME`) and returns its standard output.
 * A failing script rejects with its output, so a Kafka or Spark that cannot start fails
 * the test with the reason instead of skipping it.
 */
export function runScript(
  name: string,
  args: string[],
  timeoutMs = 600_000,
): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      'bash',
      [resolve(repoRoot, 'scripts', name), ...args],
      { cwd: repoRoot, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
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
          done(stdout);
        }
      },
    );
  });
}
