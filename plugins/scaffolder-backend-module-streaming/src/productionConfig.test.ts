import { ConfigReader } from '@backstage/config';
import { existsSync, readFileSync, readdirSync } from 'fs';
import { join, posix } from 'path';
import { parse } from 'yaml';

const repoRoot = join(__dirname, '../../..');
const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');

/** app-config.yaml with app-config.production.yaml over it, merged as the backend does (arrays replaced). */
function productionConfig() {
  return ConfigReader.fromConfigs([
    { context: 'app-config.yaml', data: parse(read('app-config.yaml')) },
    {
      context: 'app-config.production.yaml',
      data: parse(read('app-config.production.yaml')),
    },
  ]);
}

/** What the backend image's Dockerfile copies: destination path in the image (under WORKDIR) to source path in the repository. */
function imageFiles(): Map<string, string> {
  const dockerfile = read('packages/backend/Dockerfile');
  const workdir = /^WORKDIR (\S+)$/m.exec(dockerfile)![1];
  const files = new Map<string, string>();
  for (const [, args] of dockerfile.matchAll(/^COPY ([^\n]+)$/gm)) {
    const words = args.split(/\s+/).filter(w => !w.startsWith('--'));
    const raw = words.pop()!;
    const destination = posix.resolve(workdir, raw);
    // A destination ending in / (or with several sources) is a folder.
    const intoFolder = raw.endsWith('/') || words.length > 1;
    for (const source of words) {
      files.set(
        intoFolder
          ? posix.join(destination, posix.basename(source))
          : destination,
        source,
      );
    }
  }
  return files;
}

/** The repository file the image holds at `path` (absolute in the image), if the Dockerfile copies it. */
function sourceInImage(path: string): string | undefined {
  for (const [destination, source] of imageFiles()) {
    if (path === destination) return source;
    if (path.startsWith(`${destination}/`)) {
      return posix.join(source, path.slice(destination.length + 1));
    }
  }
  return undefined;
}

describe('production configuration', () => {
  const config = productionConfig();
  const locations = config.getConfigArray('catalog.locations').map(l => ({
    type: l.getString('type'),
    target: l.getString('target'),
    allow: (l.getOptionalConfigArray('rules') ?? []).flatMap(r =>
      r.getStringArray('allow'),
    ),
  }));
  // The backend runs in the image's WORKDIR (packages/backend/Dockerfile's CMD).
  const workdir = /^WORKDIR (\S+)$/m.exec(
    read('packages/backend/Dockerfile'),
  )![1];

  it('registers every software template of templates/', () => {
    const templates = readdirSync(join(repoRoot, 'templates')).filter(name =>
      existsSync(join(repoRoot, 'templates', name, 'template.yaml')),
    );
    expect(templates.length).toBeGreaterThanOrEqual(4);
    for (const name of templates) {
      const registered = locations.filter(
        l =>
          l.type === 'file' &&
          sourceInImage(posix.resolve(workdir, l.target)) ===
            `templates/${name}/template.yaml`,
      );
      expect([name, registered.flatMap(l => l.allow)]).toEqual([
        name,
        ['Template'],
      ]);
    }
  });

  it('registers only files the backend image holds', () => {
    for (const location of locations.filter(l => l.type === 'file')) {
      const source = sourceInImage(posix.resolve(workdir, location.target));
      expect([
        location.target,
        source && existsSync(join(repoRoot, source)),
      ]).toEqual([location.target, true]);
    }
  });

  it('builds TechDocs locally with the mkdocs of scripts/techdocs-requirements.txt in the image', () => {
    expect(config.getString('techdocs.generator.runIn')).toBe('local');
    const dockerfile = read('packages/backend/Dockerfile');
    const requirements = [...imageFiles()].find(
      ([, source]) => source === 'scripts/techdocs-requirements.txt',
    );
    expect(requirements).toBeDefined();
    const venv = /^ENV PATH=(\S+)\/bin:\$PATH$/m.exec(dockerfile)?.[1];
    expect(venv).toBeDefined();
    expect(dockerfile).toContain(
      `${venv}/bin/pip install --no-cache-dir --requirement ${
        requirements![0]
      }`,
    );
    expect(read('scripts/techdocs-requirements.txt')).toMatch(
      /^mkdocs-techdocs-core==/m,
    );
  });
});
