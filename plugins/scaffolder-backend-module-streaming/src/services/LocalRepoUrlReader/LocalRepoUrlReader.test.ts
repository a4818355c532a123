import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import fs from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { localRepoUrlReaderFactory } from './localRepoUrlReaderFactory';
import { ServiceFactoryTester } from '@backstage/backend-test-utils';

describe('LocalRepoUrlReader', () => {
  const dir = createMockDirectory({
    content: {
      repos: {
        orders: {
          'catalog-info.yaml': 'kind: Component\n',
          docs: { 'index.md': '# Orders\n' },
          '.git': { HEAD: 'ref: refs/heads/main\n' },
        },
      },
      'secret.txt': 'not for the catalog',
    },
  });
  const baseDir = join(dir.path, 'repos');
  const url = (path: string) => pathToFileURL(join(dir.path, path)).href;

  async function makeReader() {
    const data = { streaming: { scaffolder: { localPublish: { baseDir } } } };
    const config = mockServices.rootConfig({ data });
    const tester = ServiceFactoryTester.from(localRepoUrlReaderFactory, {
      dependencies: [mockServices.rootConfig.factory({ data })],
    });
    const factories = await tester.getSubject();
    return UrlReaders.create({
      config,
      logger: mockServices.logger.mock(),
      factories: [factories].flat(),
    });
  }

  it('reads files of local repositories through the UrlReader', async () => {
    const reader = await makeReader();
    const response = await reader.readUrl(
      url('repos/orders/catalog-info.yaml'),
    );
    expect((await response.buffer()).toString()).toBe('kind: Component\n');
    await expect(
      reader.readUrl(url('repos/orders/catalog-info.yaml'), {
        etag: response.etag,
      }),
    ).rejects.toThrow(expect.objectContaining({ name: 'NotModifiedError' }));
  });

  it('finds a file by search, as the catalog reads locations', async () => {
    const reader = await makeReader();
    const found = await reader.search(url('repos/orders/catalog-info.yaml'));
    expect(found.files.map(f => f.url)).toEqual([
      url('repos/orders/catalog-info.yaml'),
    ]);
    expect((await found.files[0].content()).toString()).toBe(
      'kind: Component\n',
    );
    const missing = await reader.search(url('repos/orders/nothing.yaml'));
    expect(missing.files).toEqual([]);
    await expect(
      reader.search(url('repos/*/catalog-info.yaml')),
    ).rejects.toThrow('Wildcards are not supported');
  });

  it('reads a tree without the .git folder', async () => {
    const reader = await makeReader();
    const tree = await reader.readTree(url('repos/orders'));
    const files = await tree.files();
    expect(files.map(f => f.path).sort()).toEqual([
      'catalog-info.yaml',
      'docs/index.md',
    ]);
  });

  it('refuses files outside the folder, also through links', async () => {
    const reader = await makeReader();
    await expect(reader.readUrl(url('secret.txt'))).rejects.toThrow(
      /not allowed/i,
    );
    await expect(
      reader.readUrl(`${url('repos/orders')}/../../secret.txt`),
    ).rejects.toThrow(/not allowed/i);
    fs.symlinkSync(join(dir.path, 'secret.txt'), join(baseDir, 'orders/link'));
    await expect(reader.readUrl(url('repos/orders/link'))).rejects.toThrow(
      'is not allowed',
    );
    await expect(
      reader.readUrl(url('repos/orders/missing.yaml')),
    ).rejects.toThrow('does not exist');
  });
});
