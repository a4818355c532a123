import {
  UrlReaderService,
  isChildPath,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError, isError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  CatalogProcessorCache,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

interface CachedFile {
  etag: string;
  text: string;
}

/** Default of `catalog.processors.streamingPipeline.maxFileBytes`. */
export const DEFAULT_MAX_PIPELINE_FILE_BYTES = 1024 * 1024;

/**
 * Every spelling of `relativePath` a reader on the way may see: as written,
 * then percent-decoded until nothing changes. Undefined when an escape is
 * malformed or the text keeps decoding.
 */
function decodedForms(relativePath: string): string[] | undefined {
  const forms = [relativePath];
  for (let i = 0; i < 3; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(forms[forms.length - 1]);
    } catch {
      return undefined;
    }
    if (decoded === forms[forms.length - 1]) {
      return forms;
    }
    forms.push(decoded);
  }
  return undefined;
}

/**
 * Whether `file` (a URL resolved by the SCM integration) lies in `folder`
 * (the same integration's URL of the referencing file's folder): same origin
 * and query keys, the folder's path a prefix of the file's, and query values
 * equal (a ref such as `version=GBmain`) or, for a folder path in the query
 * (`path=/a/`), a prefix. The folder URL names the repository and its ref,
 * so this also keeps the file in the same repository.
 */
function isInFolder(file: URL, folder: URL): boolean {
  const keys = (url: URL) => [...url.searchParams.keys()].sort().join('&');
  return (
    file.origin === folder.origin &&
    file.pathname.startsWith(folder.pathname) &&
    keys(file) === keys(folder) &&
    [...folder.searchParams].every(([key, value]) => {
      const fileValue = file.searchParams.get(key) ?? '';
      return value.endsWith('/')
        ? fileValue.startsWith(value)
        : fileValue === value;
    })
  );
}

/**
 * Reads the files a pipeline entity points at (its spec, the spec's schemas),
 * relative to the file that references them. `url` locations go through the
 * UrlReader (so its integrations, credentials and allow-list apply); `file`
 * locations are read from disk. Either way a reference is a relative path
 * without `..` (in any percent-encoding) that stays inside the referencing
 * file's folder, in the same repository; a symlink that leads out of it is
 * refused. Files larger than `maxFileBytes` are refused without reading more
 * than that.
 */
export class PipelineFileReader {
  constructor(
    private readonly reader: UrlReaderService,
    private readonly integrations: ScmIntegrationRegistry,
    private readonly maxFileBytes = DEFAULT_MAX_PIPELINE_FILE_BYTES,
  ) {}

  /**
   * The location of `relativePath`, relative to the file at `base`.
   * Throws an `InputError` for anything but a plain relative path inside the
   * folder of `base`.
   */
  resolve(base: LocationSpec, relativePath: string): LocationSpec {
    const refuse = () =>
      new InputError(
        `${JSON.stringify(
          relativePath,
        )} must be a relative path (such as ./pipeline.yaml) inside the folder of ${
          base.target
        }, without ".." segments`,
      );
    const forms =
      relativePath.length <= 1000 ? decodedForms(relativePath) : undefined;
    if (
      !relativePath ||
      !forms ||
      /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(relativePath) ||
      forms.some(
        form =>
          /[\\\0?#]/.test(form) ||
          form.startsWith('/') ||
          form.split('/').some(segment => segment === '..'),
      )
    ) {
      throw refuse();
    }
    if (base.type === 'file') {
      const folder = path.dirname(base.target);
      try {
        return {
          type: 'file',
          target: resolveSafeChildPath(folder, relativePath),
        };
      } catch {
        // e.g. a symlink on the way that leads out of the folder
        throw new InputError(
          `${JSON.stringify(relativePath)} leads outside ${folder}`,
        );
      }
    }
    if (base.type === 'url') {
      const resolveUrl = (url: string) =>
        this.integrations.resolveUrl({ url, base: base.target });
      const target = resolveUrl(relativePath);
      if (!isInFolder(new URL(target), new URL(resolveUrl('./')))) {
        throw refuse();
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
      return (
        await this.readFile(location.target, path.dirname(within.target))
      ).toString('utf8');
    }
    const key = `url:${location.target}`;
    const cached = (await cache?.get(key)) as CachedFile | undefined;
    const abort = new AbortController();
    try {
      const response = await this.reader.readUrl(location.target, {
        etag: cached?.etag,
        signal: abort.signal,
      });
      const text = response.stream
        ? await this.readCapped(location, response.stream(), abort)
        : this.checkSize(location, await response.buffer());
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

  private tooLarge(location: LocationSpec): InputError {
    return new InputError(
      `${location.target} is larger than ${this.maxFileBytes} bytes (catalog.processors.streamingPipeline.maxFileBytes)`,
    );
  }

  private checkSize(location: LocationSpec, buffer: Buffer): string {
    if (buffer.length > this.maxFileBytes) {
      throw this.tooLarge(location);
    }
    return buffer.toString('utf8');
  }

  /** The stream's bytes as text; stops reading (and aborts the request) past the limit. */
  private async readCapped(
    location: LocationSpec,
    stream: Readable,
    abort: AbortController,
  ): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream) {
        size += (chunk as Buffer).length;
        if (size > this.maxFileBytes) {
          throw this.tooLarge(location);
        }
        chunks.push(chunk as Buffer);
      }
    } finally {
      if (size > this.maxFileBytes) {
        abort.abort();
        stream.destroy();
      }
    }
    return Buffer.concat(chunks).toString('utf8');
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
    if (real === realFolder || !isChildPath(realFolder, real)) {
      throw new InputError(`${target} leads outside ${folder}`);
    }
    const stat = await fs.stat(real);
    if (!stat.isFile()) {
      throw new InputError(`${target} is not a file`);
    }
    if (stat.size > this.maxFileBytes) {
      throw this.tooLarge({ type: 'file', target });
    }
    return fs.readFile(real);
  }
}
