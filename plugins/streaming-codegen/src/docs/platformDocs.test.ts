import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { parse } from 'yaml';
import { mkdocsBuild, REPO_ROOT } from './testing/mkdocs';

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

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return markdownFiles(path);
    }
    return name.endsWith('.md') ? [path] : [];
  });
}

describe("the platform's TechDocs", () => {
  const config = parse(readFileSync(join(REPO_ROOT, 'mkdocs.yml'), 'utf8'));
  const docsDir = join(REPO_ROOT, config.docs_dir ?? 'docs');

  it('lists every page of docs/ in the nav', () => {
    const pages = markdownFiles(docsDir).map(path => relative(docsDir, path));
    expect(navPages(config.nav).sort()).toEqual(pages.sort());
  });

  it('builds with mkdocs --strict: no broken links, no warnings', () => {
    const build = mkdocsBuild(join(REPO_ROOT, 'mkdocs.yml'));
    try {
      expect(build.log).not.toMatch(/WARNING|ERROR/);
      expect(build.status).toBe(0);
      expect(build.read('reference/pipeline-spec/index.html')).toContain(
        'id="pipeline-source-kafka"',
      );
      const architecture = build.read('architecture/index.html');
      expect(architecture).toContain('images/architecture.svg');
      expect(architecture).not.toMatch(/<link[^>]+href="https?:/);
    } finally {
      build.remove();
    }
  }, 180_000);
});
