import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

/**
 * Compiles Python sources with `python3 -m py_compile` (one process for
 * all); returns the compiler's complaints, empty when all compile.
 */
export function pythonCompileErrors(
  files: Array<{ name: string; content: string }>,
): string {
  const dir = mkdtempSync(join(tmpdir(), 'py-compile-'));
  try {
    const paths = files.map((file, i) => {
      const path = join(dir, String(i), file.name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
      return path;
    });
    try {
      execFileSync('python3', ['-m', 'py_compile', ...paths], {
        stdio: 'pipe',
      });
      return '';
    } catch (e) {
      return String((e as { stderr?: Buffer }).stderr ?? e);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
