import { UrlReaderService } from '@backstage/backend-plugin-api';
import { parseLocationRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { Dirent, promises as fs } from 'node:fs';
import path from 'node:path';

/** Bounds on what one drift check reads (`streaming.drift`). */
export interface RepositoryLimits {
  maxFiles: number;
  maxBytes: number;
}

/** The files read from a pipeline repository, by path relative to its folder. */
export interface RepositorySnapshot {
  files: Map<string, Buffer>;
  /** Paths that are symbolic links: never read (the generator writes none). */
  links: Set<string>;
}

/**
 * Which files of a repository are read: those a test accepts, walking only
 * into the folders it names (recursively) and the root.
 */
export interface RepositorySelection {
  /** Folders read recursively, relative and without a trailing `/`. */
  folders: string[];
  /** Whether a file is read. */
  accepts(path: string): boolean;
}

const tooMany = (limits: RepositoryLimits, where: string) =>
  new InputError(
    `${where} has more than ${limits.maxFiles} files the generator may own (streaming.drift.maxFiles)`,
  );
const tooLarge = (limits: RepositoryLimits, where: string) =>
  new InputError(
    `the files the generator may own in ${where} are larger than ${limits.maxBytes} bytes together (streaming.drift.maxBytes)`,
  );

/**
 * Reads the selected files of the repository folder holding an entity's
 * catalog-info.yaml (`backstage.io/managed-by-location`). A `url` location is
 * read through the UrlReader (its integrations, credentials and allow-list
 * apply) as a tree of the location's folder; a `file` location from disk,
 * walking only the selected folders and never following a symbolic link, so
 * nothing outside the folder is read. At most `maxFiles` files and
 * `maxBytes` bytes are read; past either, an `InputError` names the limit.
 */
export async function readRepositoryFiles(
  reader: UrlReaderService,
  location: string,
  selection: RepositorySelection,
  limits: RepositoryLimits,
): Promise<RepositorySnapshot> {
  const { type, target } = parseLocationRef(location);
  if (type === 'file') {
    return readFolder(path.dirname(target), selection, limits);
  }
  if (type !== 'url') {
    throw new InputError(
      `cannot read the repository of a ${type} location; expected url or file`,
    );
  }
  const folder = new URL('./', target).href;
  const tree = await reader.readTree(folder, {
    filter: (file, info) =>
      selection.accepts(file) &&
      (info === undefined || info.size <= limits.maxBytes),
  });
  const entries = await tree.files();
  if (entries.length > limits.maxFiles) {
    throw tooMany(limits, folder);
  }
  const files = new Map<string, Buffer>();
  let bytes = 0;
  for (const entry of entries) {
    const content = await entry.content();
    bytes += content.length;
    if (bytes > limits.maxBytes) {
      throw tooLarge(limits, folder);
    }
    files.set(entry.path, content);
  }
  return { files, links: new Set() };
}

async function readFolder(
  folder: string,
  selection: RepositorySelection,
  limits: RepositoryLimits,
): Promise<RepositorySnapshot> {
  const files = new Map<string, Buffer>();
  const links = new Set<string>();
  const found: Array<{ relative: string; absolute: string }> = [];
  const take = (entry: Dirent, relative: string) => {
    if (entry.isSymbolicLink()) {
      links.add(relative);
    } else if (entry.isFile() && selection.accepts(relative)) {
      found.push({ relative, absolute: path.join(folder, relative) });
      if (found.length > limits.maxFiles) {
        throw tooMany(limits, folder);
      }
    }
  };
  const list = async (relative: string, recursive: boolean) => {
    const entries = await fs
      .readdir(path.join(folder, relative), { withFileTypes: true })
      .catch(() => []);
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (recursive && entry.isDirectory()) {
        await list(child, true);
      } else {
        take(entry, child);
      }
    }
  };
  await list('', false);
  for (const sub of selection.folders) {
    // A folder on the way that is a link is not walked.
    const parts = sub.split('/');
    let real = true;
    for (let i = 1; i <= parts.length && real; i++) {
      const stat = await fs
        .lstat(path.join(folder, ...parts.slice(0, i)))
        .catch(() => undefined);
      real = !!stat?.isDirectory();
    }
    if (real) {
      await list(sub, true);
    }
  }
  let bytes = 0;
  for (const { relative, absolute } of found) {
    bytes += (await fs.lstat(absolute)).size;
    if (bytes > limits.maxBytes) {
      throw tooLarge(limits, folder);
    }
    files.set(relative, await fs.readFile(absolute));
  }
  return { files, links };
}
