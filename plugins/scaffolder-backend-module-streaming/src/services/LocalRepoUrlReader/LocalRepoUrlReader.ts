import {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import { ReadTreeResponseFactory } from '@backstage/backend-defaults/urlReader';
import { isChildPath } from '@backstage/cli-common';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
} from '@backstage/errors';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads `file:` URLs inside the local-publish folder, so that the catalog
 * and TechDocs can read the repositories `streaming:publish:local` creates.
 * Anything outside that folder, including through symbolic links, is refused.
 */
export class LocalRepoUrlReader implements UrlReaderService {
  readonly #baseDir: string;
  readonly #treeResponseFactory: ReadTreeResponseFactory;

  constructor(options: {
    baseDir: string;
    treeResponseFactory: ReadTreeResponseFactory;
  }) {
    this.#baseDir = options.baseDir;
    this.#treeResponseFactory = options.treeResponseFactory;
  }

  /** Whether a URL points into the local-publish folder. */
  handles(url: URL): boolean {
    return (
      url.protocol === 'file:' && isChildPath(this.#baseDir, fileURLToPath(url))
    );
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const file = await this.#resolve(url);
    const content = await fs.promises.readFile(file).catch(() => {
      throw new NotFoundError(`${url} does not exist`);
    });
    const etag = createHash('sha256').update(content).digest('hex');
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    return { buffer: async () => content, etag };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const dir = await this.#resolve(url);
    const files = await listFiles(dir);
    const hash = createHash('sha256');
    for (const file of files) {
      hash.update(`${file.path}\0${file.size}\0${file.mtimeMs}\0`);
    }
    const etag = hash.digest('hex');
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    const selected = files.filter(
      file =>
        !options?.filter || options.filter(file.path, { size: file.size }),
    );
    const response = await this.#treeResponseFactory.fromReadableArray(
      selected.map(file => ({
        path: file.path,
        data: fs.createReadStream(join(dir, file.path)),
        lastModifiedAt: new Date(file.mtimeMs),
      })),
    );
    return {
      etag,
      files: () => response.files(),
      archive: () => response.archive(),
      dir: dirOptions => response.dir(dirOptions),
    };
  }

  /**
   * The catalog reads locations through search. A URL without wildcards
   * finds itself (or nothing); wildcards are not supported here.
   */
  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    if (/[*?[\]{}]/.test(decodeURIComponent(new URL(url).pathname))) {
      throw new InputError(
        `Wildcards are not supported for local repositories: ${url}`,
      );
    }
    try {
      const response = await this.readUrl(url, options);
      return {
        etag: response.etag ?? '',
        files: [{ url, content: response.buffer }],
      };
    } catch (error) {
      if ((error as Error).name === 'NotFoundError') {
        return { etag: '', files: [] };
      }
      throw error;
    }
  }

  toString() {
    return `local-repositories{baseDir=${this.#baseDir}}`;
  }

  /** The real path of a URL's target, which must be inside the folder. */
  async #resolve(url: string): Promise<string> {
    let path: string;
    try {
      path = fileURLToPath(new URL(url));
    } catch {
      throw new InputError(`Not a file URL: ${url}`);
    }
    const real = await fs.promises.realpath(path).catch(() => {
      throw new NotFoundError(`${url} does not exist`);
    });
    const base = await fs.promises.realpath(this.#baseDir);
    if (!isChildPath(base, real)) {
      throw new NotAllowedError(`Reading ${url} is not allowed`);
    }
    return real;
  }
}

async function listFiles(
  dir: string,
): Promise<Array<{ path: string; size: number; mtimeMs: number }>> {
  const entries = await fs.promises.readdir(dir, {
    recursive: true,
    withFileTypes: true,
  });
  const files = [];
  for (const entry of entries) {
    const path = relative(dir, join(entry.parentPath, entry.name));
    if (!entry.isFile() || path.split(sep).includes('.git')) {
      continue;
    }
    const stat = await fs.promises.stat(join(dir, path));
    files.push({
      path: path.split(sep).join('/'),
      size: stat.size,
      mtimeMs: stat.mtimeMs,
    });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
