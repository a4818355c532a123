import { isChildPath } from '@backstage/backend-plugin-api';
import { DeltaTableDetailsResponse } from '@internal/plugin-streaming-common';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { TtlCache } from '../../lib/TtlCache';
import { DeltaPathMapping } from './DeltaPathMapping';

/**
 * Bounds of one read of a table's log, from `streaming.delta` in app-config.
 *
 * @public
 */
export interface DeltaLogLimits {
  /** The newest commit files read at most; older state needs a checkpoint reader. */
  maxCommits: number;
  /** A commit file larger than this is left out. */
  maxCommitBytes: number;
  /** Bytes read at most per table: the newest commits that fit. */
  maxLogBytes: number;
  /** Milliseconds the facts of a table are reused. */
  cacheTtlMs: number;
}

const defaultLimits: DeltaLogLimits = {
  maxCommits: 2000,
  maxCommitBytes: 16 * 1024 * 1024,
  maxLogBytes: 64 * 1024 * 1024,
  cacheTtlMs: 30_000,
};

const commitFile = /^(\d{20})\.json$/;

const actionSchema = z
  .object({
    commitInfo: z
      .object({
        timestamp: z.number().int().min(0).max(8.64e15).optional(),
        operation: z.string().optional(),
        operationParameters: z.record(z.string(), z.unknown()).optional(),
      })
      .loose()
      .optional(),
    metaData: z
      .object({ schemaString: z.string().optional() })
      .loose()
      .optional(),
    add: z
      .object({
        path: z.string(),
        size: z
          .number()
          .int()
          .nonnegative()
          .max(2 ** 53)
          .optional(),
      })
      .loose()
      .optional(),
    remove: z.object({ path: z.string() }).loose().optional(),
  })
  .loose();

const schemaStringSchema = z.object({
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.unknown(),
      nullable: z.boolean().default(true),
    }),
  ),
});

type Facts = Omit<
  DeltaTableDetailsResponse,
  'entityRef' | 'location' | 'errors'
>;

type ReadResult = { facts: Facts; error?: string };

/**
 * Reads facts from a Delta table's `_delta_log` when its location, after the
 * path mapping, is a local path inside one of the allowed roots; anything else
 * is reported unreadable.
 */
export class DeltaTableReader {
  private readonly cache: TtlCache<ReadResult>;

  constructor(
    private readonly allowedRoots: string[],
    private readonly mapping: DeltaPathMapping = new DeltaPathMapping([], '/'),
    private readonly limits: DeltaLogLimits = defaultLimits,
  ) {
    this.cache = new TtlCache(limits.cacheTtlMs, 1000);
  }

  /** The real local folder of a location, or why it may not be read. */
  async resolve(
    tableLocation: string,
  ): Promise<{ dir?: string; reason?: string }> {
    const location = this.mapping.map(tableLocation);
    let local: string;
    if (location.startsWith('file:')) {
      try {
        local = fileURLToPath(location);
      } catch {
        return { reason: 'not a valid file URL' };
      }
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
      return { reason: 'not a local path' };
    } else {
      local = location;
    }
    if (!path.isAbsolute(local)) {
      return { reason: 'not an absolute path' };
    }
    let real: string;
    try {
      real = await fs.realpath(local);
    } catch {
      return { reason: 'does not exist on the backend host' };
    }
    for (const root of this.allowedRoots) {
      const realRoot = await fs.realpath(root).catch(() => undefined);
      if (!realRoot) continue;
      if (isChildPath(realRoot, real)) {
        return { dir: real };
      }
    }
    return { reason: 'outside streaming.delta.allowedRoots' };
  }

  /**
   * Facts of the table at a location, reused for `limits.cacheTtlMs`. Reads
   * only regular files (no symbolic links) and at most `limits.maxCommits`
   * commits and `limits.maxLogBytes` bytes; what could not be read is named
   * in `error`, next to the facts that could.
   */
  async read(location: string): Promise<ReadResult> {
    const { dir, reason } = await this.resolve(location);
    if (!dir) {
      return { facts: { readable: false }, error: reason };
    }
    return this.cache.get(dir, () =>
      this.readLog(dir).catch(error => ({
        facts: { readable: false },
        error: `could not read _delta_log (${
          (error as NodeJS.ErrnoException).code ?? 'unknown error'
        })`,
      })),
    );
  }

  private async readLog(dir: string): Promise<ReadResult> {
    const { maxCommits, maxCommitBytes, maxLogBytes } = this.limits;
    const logDir = path.join(dir, '_delta_log');
    const logStat = await fs.lstat(logDir).catch(() => undefined);
    if (!logStat?.isDirectory()) {
      return { facts: { readable: false }, error: 'no _delta_log folder' };
    }
    const commits = (await fs.readdir(logDir, { withFileTypes: true }))
      .map(entry => ({ entry, match: commitFile.exec(entry.name) }))
      .filter(c => c.match !== null)
      .map(c => ({
        name: c.entry.name,
        regular: c.entry.isFile(),
        version: Number(c.match![1]),
      }))
      .sort((a, b) => a.version - b.version);
    if (commits.length === 0) {
      return { facts: { readable: false }, error: 'no commits in _delta_log' };
    }
    const problems: string[] = [];
    let complete = commits[0].version === 0;
    if (!complete) problems.push('older commits are in a checkpoint');
    if (commits.length > maxCommits) {
      complete = false;
      problems.push(
        `only the newest ${maxCommits} commits are read (streaming.delta.maxCommits)`,
      );
    }
    // The newest commits that fit in maxLogBytes, read oldest first.
    const texts: string[] = [];
    let bytes = 0;
    for (const commit of commits.slice(-maxCommits).reverse()) {
      if (!commit.regular) {
        complete = false;
        problems.push(`commit ${commit.name} is not a regular file; left out`);
        continue;
      }
      const text = await this.readCommit(
        path.join(logDir, commit.name),
        maxCommitBytes,
        maxLogBytes - bytes,
      );
      if (text === 'too large') {
        complete = false;
        problems.push(
          `commit ${commit.name} is larger than ${maxCommitBytes} bytes (streaming.delta.maxCommitBytes); left out`,
        );
        continue;
      }
      if (text === 'over budget') {
        complete = false;
        problems.push(
          `the log is larger than ${maxLogBytes} bytes (streaming.delta.maxLogBytes); older commits are left out`,
        );
        break;
      }
      bytes += Buffer.byteLength(text);
      texts.unshift(text);
    }
    const files = new Map<string, number>();
    let lastOperation: Facts['lastOperation'];
    let schema: Facts['schema'];
    let invalid = 0;
    for (const text of texts) {
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          continue;
        }
        const action = actionSchema.safeParse(json);
        if (!action.success) {
          invalid += 1;
          if (
            typeof json === 'object' &&
            json &&
            ('add' in json || 'remove' in json)
          ) {
            complete = false;
          }
          continue;
        }
        const { commitInfo, metaData, add, remove } = action.data;
        if (commitInfo?.operation) {
          lastOperation = {
            operation: commitInfo.operation,
            timestamp: new Date(commitInfo.timestamp ?? 0).toISOString(),
            parameters: Object.fromEntries(
              Object.entries(commitInfo.operationParameters ?? {}).map(
                ([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)],
              ),
            ),
          };
        }
        if (metaData?.schemaString) {
          schema = parseSchemaString(metaData.schemaString) ?? schema;
        }
        if (add) files.set(add.path, add.size ?? 0);
        if (remove) files.delete(remove.path);
      }
    }
    if (invalid > 0) {
      problems.push(`${invalid} actions are not valid Delta actions; left out`);
    }
    if (!complete) problems.push('file counts are left out');
    const sizes = [...files.values()];
    return {
      facts: {
        readable: true,
        version: commits[commits.length - 1].version,
        lastOperation,
        numFiles: complete ? sizes.length : undefined,
        sizeBytes: complete ? sizes.reduce((a, b) => a + b, 0) : undefined,
        schema,
      },
      error: problems.length ? problems.join('; ') : undefined,
    };
  }

  /**
   * One commit file's text: never through a symbolic link, at most
   * `maxBytes`, and only when it fits in `budget`.
   */
  private async readCommit(
    file: string,
    maxBytes: number,
    budget: number,
  ): Promise<string | 'too large' | 'over budget'> {
    const handle = await fs.open(
      file,
      fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW,
    );
    try {
      const { size } = await handle.stat();
      if (size > maxBytes) return 'too large';
      if (size > budget) return 'over budget';
      const buffer = Buffer.alloc(size);
      await handle.read(buffer, 0, size, 0);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  }
}

/** The columns of a `metaData.schemaString`, or undefined when it is not one. */
function parseSchemaString(schemaString: string): Facts['schema'] {
  let json: unknown;
  try {
    json = JSON.parse(schemaString);
  } catch {
    return undefined;
  }
  const parsed = schemaStringSchema.safeParse(json);
  return parsed.success
    ? parsed.data.fields.map(f => ({
        name: f.name,
        type: typeof f.type === 'string' ? f.type : JSON.stringify(f.type),
        nullable: f.nullable,
      }))
    : undefined;
}
