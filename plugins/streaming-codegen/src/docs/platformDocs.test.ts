import { lstatSync, readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';
import { parse, stringify } from 'yaml';
import { mkdocsBuild, REPO_ROOT } from './testing/mkdocs';

// The platform's TechDocs: the root catalog-info.yaml points at this folder
// (backstage.io/techdocs-ref: dir:./docs), which holds mkdocs.yml and the
// pages. Backstage builds a folder only when no symlink in it points outside,
// so the site cannot be the repository root (node_modules, virtualenvs).
const SITE_DIR = join(REPO_ROOT, 'docs');
const CONFIG_FILE = join(SITE_DIR, 'mkdocs.yml');

type Nav = Array<string | Record<string, string | Nav>>;

function navPages(nav: Nav): string[] {
  return nav.flatMap(item =>
    typeof item === 'string'
      ? [item]
      : Object.values(item).flatMap(value =>
          typeof value === 'string' ? [value] : navPages(value),
        ),
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    const stat = lstatSync(path);
    return stat.isDirectory() ? filesUnder(path) : [path];
  });
}

describe("the platform's TechDocs", () => {
  const text = readFileSync(CONFIG_FILE, 'utf8');
  const config = parse(text);
  const pagesDir = join(SITE_DIR, config.docs_dir);

  it('has every page under docs/pages and in the nav of docs/mkdocs.yml', () => {
    const pages = filesUnder(SITE_DIR)
      .filter(path => path.endsWith('.md'))
      .map(path => relative(pagesDir, path));
    const outside = pages.filter(page => page.startsWith('..'));
    expect({ outsidePages: outside }).toEqual({ outsidePages: [] });
    expect(navPages(config.nav).sort()).toEqual(pages.sort());
  });

  it('is a folder Backstage builds: no symlinks, mkdocs.yml as its generator writes it back', () => {
    const links = filesUnder(SITE_DIR).filter(path =>
      lstatSync(path).isSymbolicLink(),
    );
    expect(links).toEqual([]);
    // The local generator rewrites mkdocs.yml in place (sanitized YAML
    // without comments); a file already in that form stays unchanged.
    expect(stringify(config)).toBe(text);
  });

  it('builds with mkdocs --strict: no broken links, no warnings', () => {
    const build = mkdocsBuild(CONFIG_FILE);
    try {
      expect(build.log).not.toMatch(/WARNING|ERROR/);
      expect(build.status).toBe(0);
      expect(build.read('reference/pipeline-spec/index.html')).toContain(
        'id="pipeline-source-kafka"',
      );
      const architecture = build.read('architecture/index.html');
      // The diagram's Mermaid source, as a code block (the app's TechDocs Mermaid add-on draws it).
      expect(architecture.replace(/<[^>]+>/g, '')).toContain(
        'backend -- REST API --&gt; frontend',
      );
      expect(architecture).not.toMatch(/<link[^>]+href="https?:/);
    } finally {
      build.remove();
    }
  }, 180_000);
});
