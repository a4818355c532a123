import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './repoRoot';

/**
 * A generated PySpark job running in local mode through `scripts/spark.sh python`: the
 * job's Python process is the parent of the Spark JVM, so a SIGTERM to it reaches the
 * job's own graceful stop. It runs in its own process group, killed as a whole when the
 * graceful stop takes too long. Its output goes to a log file, quoted on failures.
 */
export class SparkJob {
  static start(options: {
    jobFile: string;
    env: Record<string, string>;
    logFile: string;
    args?: string[];
  }): SparkJob {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(
      'bash',
      [
        resolve(repoRoot, 'scripts/spark.sh'),
        'python',
        options.jobFile,
        ...(options.args ?? []),
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, TZ: 'UTC', ...options.env },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return new SparkJob(child, log, options.logFile);
  }

  private output = '';
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    log: NodeJS.WritableStream,
    readonly logFile: string,
  ) {
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise(done =>
      child.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        log.end();
        done();
      }),
    );
  }

  /** Whether the process still runs. */
  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Waits until the process exits (a batch job such as the maintenance job); its exit code. */
  async finished(): Promise<number | null | undefined> {
    await this.exited;
    return this.exitCode;
  }

  /** The last lines the job printed, for error messages. */
  tail(lines = 40): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  /** A failure message when the job died, else undefined. */
  failure(): string | undefined {
    return this.running
      ? undefined
      : `the Spark job exited (code ${this.exitCode}); log ${
          this.logFile
        }:\n${this.tail()}`;
  }

  /**
   * Stops the job gracefully (SIGTERM to the job's Python process: the running micro-batch
   * completes) and waits for it to exit; after `graceMs` the whole process group is killed.
   */
  async stop(graceMs = 90_000): Promise<void> {
    const group = -this.child.pid!;
    if (this.running) {
      process.kill(this.child.pid!, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(group, 'SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    // The Spark JVM leaves once its Python parent has gone; wait for it, then make sure.
    for (let i = 0; i < 100 && signalGroup(group, 0); i++) {
      await new Promise(r => setTimeout(r, 100));
    }
    signalGroup(group, 'SIGKILL');
  }
}

/** Sends a signal to a process group; false when the group no longer exists. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(group, signal);
    return true;
  } catch {
    return false;
  }
}
