import { DeltaTableDetailsResponse } from '@internal/plugin-streaming-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DeltaPathMapping } from './DeltaPathMapping';

/** Commit files read at most; older state needs a checkpoint reader. */
const MAX_COMMITS = 2_000;
/** Bytes read at most from one commit file. */
const MAX_COMMIT_BYTES = 16 * 1024 * 1024;

const commitFile = /^(\d{20})\.json$/;

const actionSchema = z
  .object({
    commitInfo: z
      .object({
        timestamp: z.number().optional(),
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
      .object({ path: z.string(), size: z.number().optional() })
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

/**
 * Reads facts from a Delta table's `_delta_log` when its location, after the
 * path mapping, is a local path inside one of the allowed roots; anything else
 * is reported unreadable.
 */
export class DeltaTableReader {
  constructor(
    private readonly allowedRoots: string[],
    private readonly mapping: DeltaPathMapping = new DeltaPathMapping([], '/'),
  ) {}

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
      const relative = path.relative(realRoot, real);
      if (
        relative === '' ||
        (!relative.startsWith('..') && !path.isAbsolute(relative))
      ) {
        return { dir: real };
      }
    }
    return { reason: 'outside streaming.delta.allowedRoots' };
  }

  async read(location: string): Promise<{ facts: Facts; error?: string }> {
    const { dir, reason } = await this.resolve(location);
    if (!dir) {
      return { facts: { readable: false }, error: reason };
    }
    const logDir = path.join(dir, '_delta_log');
    let names: string[];
    try {
      names = await fs.readdir(logDir);
    } catch {
      return { facts: { readable: false }, error: 'no _delta_log folder' };
    }
    const commits = names
      .map(name => commitFile.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map(m => ({ name: m[0], version: Number(m[1]) }))
      .sort((a, b) => a.version - b.version);
    if (commits.length === 0) {
      return { facts: { readable: false }, error: 'no commits in _delta_log' };
    }
    const complete = commits[0].version === 0 && commits.length <= MAX_COMMITS;
    const files = new Map<string, number>();
    let lastOperation: Facts['lastOperation'];
    let schema: Facts['schema'];
    for (const commit of commits.slice(-MAX_COMMITS)) {
      const handle = await fs.open(path.join(logDir, commit.name), 'r');
      let text: string;
      try {
        const buffer = Buffer.alloc(
          Math.min((await handle.stat()).size, MAX_COMMIT_BYTES),
        );
        await handle.read(buffer, 0, buffer.length, 0);
        text = buffer.toString('utf8');
      } finally {
        await handle.close();
      }
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          continue;
        }
        const action = actionSchema.safeParse(json);
        if (!action.success) continue;
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
          const parsed = schemaStringSchema.safeParse(
            (() => {
              try {
                return JSON.parse(metaData.schemaString!);
              } catch {
                return undefined;
              }
            })(),
          );
          if (parsed.success) {
            schema = parsed.data.fields.map(f => ({
              name: f.name,
              type:
                typeof f.type === 'string' ? f.type : JSON.stringify(f.type),
              nullable: f.nullable,
            }));
          }
        }
        if (add) files.set(add.path, add.size ?? 0);
        if (remove) files.delete(remove.path);
      }
    }
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
      error: complete
        ? undefined
        : 'older commits are in a checkpoint; file counts are left out',
    };
  }
}
