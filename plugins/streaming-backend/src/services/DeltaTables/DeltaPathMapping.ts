import { isChildPath } from '@backstage/backend-plugin-api';
import path from 'node:path';

/**
 * One entry of `streaming.delta.pathMappings`: table locations under `from`
 * live under `to` on this host.
 *
 * @public
 */
export interface DeltaPathMappingEntry {
  from: string;
  to: string;
}

/**
 * Where a Delta table that the catalog names (`/data/delta/event_summary`)
 * lives on this host (`.cache/demo/delta/event_summary`), from
 * `streaming.delta.pathMappings`. The backend reads tables through it and the
 * local start writes the demo jobs' tables through it, so both agree.
 *
 * A location matches an entry when it equals `from` or continues it after a
 * `/`; the longest matching `from` wins; a location that matches none is
 * returned as it is. Relative `to` folders are resolved from `baseDir` (the
 * backend's working directory, as other local paths of app-config).
 *
 * @public
 */
export class DeltaPathMapping {
  private readonly entries: DeltaPathMappingEntry[];

  constructor(entries: DeltaPathMappingEntry[], baseDir: string) {
    this.entries = entries
      .map(e => ({
        from: e.from.replace(/\/+$/, '') || '/',
        to: path.resolve(baseDir, e.to),
      }))
      .sort((a, b) => b.from.length - a.from.length);
  }

  /** The local location of a table location. */
  map(location: string): string {
    for (const { from, to } of this.entries) {
      if (location === from) {
        return to;
      }
      const prefix = from.endsWith('/') ? from : `${from}/`;
      if (location.startsWith(prefix)) {
        const rest = location.slice(prefix.length);
        const target = path.resolve(to, rest);
        // `..` in the rest would leave the mapped folder: left unmapped (and unreadable).
        if (!isChildPath(to, target)) {
          return location;
        }
        return target;
      }
    }
    return location;
  }
}
