import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './repoRoot';

const PREFIX = 'DELTA-READER ';

/**
 * A row of a Delta table: column name to JSON value (timestamps as ISO-8601 UTC, binary
 * values in base64).
 */
export type DeltaRow = Record<string, unknown>;

/**
 * Reads Delta tables with real Spark (delta_reader.py through `scripts/spark.sh python`):
 * one Spark session for all reads of a test file, so Spark starts once.
 */
export class DeltaReader {
  /** A reader whose Spark session is up. */
  static async start(timeoutMs = 180_000): Promise<DeltaReader> {
    const reader = DeltaReader.starting(timeoutMs);
    await reader.ready;
    return reader;
  }

  /**
   * A reader whose Spark session starts in the background: its first request waits until
   * the session is up, and fails with the reason when it did not start. Started beside a
   * pipeline's job, the reader's JVM does not hold back the job's start.
   */
  static starting(timeoutMs = 180_000): DeltaReader {
    const child = spawn(
      'bash',
      [
        resolve(repoRoot, 'scripts/spark.sh'),
        'python',
        resolve(__dirname, 'delta_reader.py'),
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, TZ: 'UTC' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    return new DeltaReader(child, timeoutMs);
  }

  /** Settles when the session is up; rejects (and the reader closes) when it did not start. */
  private readonly ready: Promise<void>;
  private readonly answers: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private stderr = '';
  private closed = false;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    startTimeoutMs: number,
  ) {
    createInterface({ input: child.stdout }).on('line', line => {
      if (!line.startsWith(PREFIX)) return;
      this.answers.push(line.slice(PREFIX.length));
      this.wake();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-10_000);
    });
    child.on('exit', () => {
      this.closed = true;
      this.wake();
    });
    this.ready = this.next(startTimeoutMs).then(ready => {
      if (ready.ready !== true) {
        throw new Error(`Delta reader did not start: ${JSON.stringify(ready)}`);
      }
    });
    // A reader that did not start is closed at once; its requests (and start) report why.
    this.ready.catch(() => this.close());
  }

  private wake() {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(this.answers.shift());
  }

  private async next(timeoutMs: number): Promise<Record<string, unknown>> {
    const line =
      this.answers.shift() ??
      (this.closed
        ? undefined
        : await new Promise<string | undefined>(done => {
            const timer = setTimeout(() => {
              this.waiting = undefined;
              done(undefined);
            }, timeoutMs);
            this.waiting = value => {
              clearTimeout(timer);
              done(value);
            };
          }));
    if (line === undefined) {
      throw new Error(
        `Delta reader gave no answer (${
          this.closed ? 'it exited' : 'time-out'
        }):\n${this.stderr}`,
      );
    }
    return JSON.parse(line);
  }

  /** Every row of the Delta table at `path`. */
  async read(path: string, timeoutMs = 120_000): Promise<DeltaRow[]> {
    await this.ready;
    this.child.stdin.write(`${JSON.stringify({ path })}\n`);
    const answer = await this.next(timeoutMs);
    if (typeof answer.error === 'string')
      throw new Error(`reading the Delta table ${path}: ${answer.error}`);
    return answer.rows as DeltaRow[];
  }

  /**
   * Appends `rows` to the Delta table at `path` (created when absent) as one commit, with
   * the columns and types of `schema` (Spark DDL, e.g. `id STRING, at TIMESTAMP`; timestamps
   * given as ISO-8601 strings are cast); the table's version after the commit.
   */
  async append(
    path: string,
    schema: string,
    rows: DeltaRow[],
    timeoutMs = 120_000,
  ): Promise<number> {
    await this.ready;
    this.child.stdin.write(
      `${JSON.stringify({ path, schema, append: rows })}\n`,
    );
    const answer = await this.next(timeoutMs);
    if (typeof answer.error === 'string')
      throw new Error(`appending to the Delta table ${path}: ${answer.error}`);
    return answer.version as number;
  }

  /** The table's live file count and its history (operation and parameters per version). */
  async detail(
    path: string,
    timeoutMs = 120_000,
  ): Promise<{
    numFiles: number;
    history: {
      version: number;
      operation: string;
      operationParameters: Record<string, string>;
    }[];
  }> {
    await this.ready;
    this.child.stdin.write(`${JSON.stringify({ path, detail: true })}\n`);
    const answer = await this.next(timeoutMs);
    if (typeof answer.error === 'string')
      throw new Error(`describing the Delta table ${path}: ${answer.error}`);
    return answer as Awaited<ReturnType<DeltaReader['detail']>>;
  }

  /** Ends the reader: end of input stops Spark; a reader that hangs is killed after 60 s. */
  async close(): Promise<void> {
    if (this.closed) return;
    const exited = new Promise(done => this.child.once('exit', done));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
    await exited;
    clearTimeout(timer);
  }
}
