import { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError, isError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  CatalogProcessorCache,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';

interface CachedFile {
  etag: string;
  text: string;
}

/** Largest file read for a pipeline (spec or schema), in bytes. */
export const MAX_PIPELINE_FILE_BYTES = 1024 * 1024;

/**
 * Reads the files a pipeline entity points at (its spec, the spec's schemas),
 * relative to the file that references them. `url` locations go through the
 * UrlReader (so its integrations, credentials and allow-list apply); `file`
 * locations are read from disk. Either way a reference is a relative path
 * without `..` that stays inside the referencing file's folder; a symlink
 * that leads out of it is refused.
 */
export class PipelineFileReader {
  constructor(
    private readonly reader: UrlReaderService,
    private readonly integrations: ScmIntegrationRegistry,
  ) {}

  /**
   * The location of `relativePath`, relative to the file at `base`.
   * Throws an `InputError` for anything but a plain relative path.
   */
  resolve(base: LocationSpec, relativePath: string): LocationSpec {
    const segments = relativePath.split('/');
    if (
      !relativePath ||
      relativePath.length > 1000 ||
      /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(relativePath) ||
      /[\\\0?#]/.test(relativePath) ||
      relativePath.startsWith('/') ||
      segments.some(segment => segment === '..')
    ) {
      throw new InputError(
        `${JSON.stringify(
          relativePath,
        )} must be a relative path (such as ./pipeline.yaml) inside the folder of ${
          base.target
        }, without ".." segments`,
      );
    }
    if (base.type === 'file') {
      return {
        type: 'file',
        target: path.resolve(path.dirname(base.target), relativePath),
      };
    }
    if (base.type === 'url') {
      const target = this.integrations.resolveUrl({
        url: relativePath,
        base: base.target,
      });
      if (new URL(target).origin !== new URL(base.target).origin) {
        throw new InputError(
          `${relativePath} resolves to another host than ${base.target}`,
        );
      }
      return { type: 'url', target };
    }
    throw new InputError(
      `Cannot read files relative to a location of type ${base.type}`,
    );
  }

  /**
   * Reads a location resolved by {@link PipelineFileReader.resolve}, as UTF-8
   * text. A `file` location must stay inside the folder of `within`. For a
   * `url` location, `cache` keeps the text with its ETag, so an unchanged file
   * costs the source a conditional request only; every URL read in a
   * processing run must go through the same cache, which keeps just those.
   */
  async read(
    location: LocationSpec,
    within: LocationSpec,
    cache?: CatalogProcessorCache,
  ): Promise<string> {
    if (location.type === 'file') {
      return this.checkSize(
        location,
        await this.readFile(location.target, path.dirname(within.target)),
      );
    }
    const key = `url:${location.target}`;
    const cached = (await cache?.get(key)) as CachedFile | undefined;
    try {
      const response = await this.reader.readUrl(location.target, {
        etag: cached?.etag,
      });
      const text = this.checkSize(location, await response.buffer());
      if (response.etag) {
        await cache?.set(key, { etag: response.etag, text });
      }
      return text;
    } catch (error) {
      if (cached && isError(error) && error.name === 'NotModifiedError') {
        await cache?.set(key, { ...cached });
        return cached.text;
      }
      throw error;
    }
  }

  private checkSize(location: LocationSpec, buffer: Buffer): string {
    if (buffer.length > MAX_PIPELINE_FILE_BYTES) {
      throw new InputError(
        `${location.target} is larger than ${MAX_PIPELINE_FILE_BYTES} bytes`,
      );
    }
    return buffer.toString('utf8');
  }

  private async readFile(target: string, folder: string): Promise<Buffer> {
    let real: string;
    let realFolder: string;
    try {
      [real, realFolder] = await Promise.all([
        fs.realpath(target),
        fs.realpath(folder),
      ]);
    } catch {
      throw new NotFoundError(`${target} does not exist`);
    }
    if (!real.startsWith(`${realFolder}${path.sep}`)) {
      throw new InputError(`${target} leads outside ${folder}`);
    }
    const stat = await fs.stat(real);
    if (!stat.isFile()) {
      throw new InputError(`${target} is not a file`);
    }
    if (stat.size > MAX_PIPELINE_FILE_BYTES) {
      throw new InputError(
        `${target} is larger than ${MAX_PIPELINE_FILE_BYTES} bytes`,
      );
    }
    return fs.readFile(real);
  }
}
