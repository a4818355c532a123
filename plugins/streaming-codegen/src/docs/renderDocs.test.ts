import {
  parsePipelineSpec,
  type PipelineSpec,
} from '@internal/plugin-streaming-common';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { parse } from 'yaml';
import { toYaml } from '../yaml';
import { shellWord } from './markdown';
import { renderDocs } from './renderDocs';
import { RUNBOOK_SECTIONS } from './runbookSections';
import { mkdocsBuild, REPO_ROOT } from './testing/mkdocs';

const EXAMPLES = join(REPO_ROOT, 'examples/pipelines');

function specOf(text: string): PipelineSpec {
  const result = parsePipelineSpec(text);
  if (!result.spec) {
    throw new Error(JSON.stringify(result.errors));
  }
  return result.spec;
}

const exampleSpec = (name: string) =>
  specOf(readFileSync(join(EXAMPLES, name, 'pipeline.yaml'), 'utf8'));

/** Writes the generated files into a fresh folder and builds them. */
function buildDocs(spec: PipelineSpec) {
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-docs-'));
  for (const file of renderDocs(spec)) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
  const build = mkdocsBuild(join(dir, 'mkdocs.yml'));
  return {
    build,
    cleanup: () => {
      build.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The text of some HTML, tags dropped and character references decoded. */
function textOf(html: string): string {
  const named: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    para: '\u00b6',
  };
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) =>
      String.fromCodePoint(parseInt(n, 16)),
    )
    .replace(/&([a-z]+);/g, (m, name) => named[name] ?? m)
    .replace(/\s+/g, ' ');
}

describe('renderDocs', () => {
  const examples = readdirSync(EXAMPLES);

  it('renders mkdocs.yml, an overview and a runbook for each example', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const name of examples) {
      const spec = exampleSpec(name);
      const files = renderDocs(spec);
      expect(files.map(f => f.path)).toEqual([
        'mkdocs.yml',
        'docs/index.md',
        'docs/runbook.md',
      ]);
      const config = parse(files[0].content);
      expect(config).toEqual({
        site_name: spec.pipeline.name,
        nav: [{ Overview: 'index.md' }, { Runbook: 'runbook.md' }],
        theme: { name: 'material', font: false },
        plugins: ['techdocs-core'],
      });
      const runbook = files[2].content;
      for (const anchor of Object.keys(RUNBOOK_SECTIONS)) {
        expect(runbook).toContain(`{#${anchor}}`);
      }
      expect(runbook).toContain(spec.pipeline.name);
    }
  });

  it('names the facts of its own pipeline', () => {
    const [, overview, runbook] = renderDocs(exampleSpec('user-events'));
    expect(overview.content).toContain('Kafka topic <code>events</code>');
    expect(overview.content).toContain('| consumer lag, seconds | 30 | 60 |');
    expect(overview.content).toContain(
      '| consumer lag, messages | 5,000 | 10,000 |',
    );
    expect(runbook.content).toContain('--topic events --time -2');
    expect(runbook.content).toContain('exceeds 60 seconds or 10,000 messages');
    // Reprocessing: a backfill through the template and the job's backfill
    // settings, and the job's own settings for a new starting point.
    expect(runbook.content).toContain('**Backfill pipeline** template');
    expect(runbook.content).toContain(
      '`PIPELINE_BACKFILL_ID`, `PIPELINE_BACKFILL_FROM` and `PIPELINE_BACKFILL_TO`',
    );
    expect(runbook.content).toContain(
      'SparkApplication <code>user-events-backfill-&#60;id&#62;</code>',
    );
    expect(runbook.content).toContain('`PIPELINE_STARTING_OFFSETS`');
    expect(runbook.content).toContain('`PIPELINE_CHECKPOINT`');
    expect(overview.content).toContain(
      '| <code>PIPELINE&#95;CHECKPOINT</code> |',
    );
    expect(runbook.content).toContain('between 4 and 8 instances');
    expect(runbook.content).toContain(
      'the watermark column <code>timestamp</code>',
    );

    const [, cdcOverview, cdcRunbook] = renderDocs(
      exampleSpec('cdc-postgres-users'),
    );
    expect(cdcOverview.content).toContain('Debezium change events of table');
    expect(cdcRunbook.content).toContain(
      'reprocessed rows overwrite themselves',
    );
    expect(cdcRunbook.content).toContain('each batch is merged once');

    const [, , logRunbook] = renderDocs(exampleSpec('log-analytics'));
    expect(logRunbook.content).toContain('Elasticsearch index');
    expect(logRunbook.content).not.toContain('watermark column');
  });

  it('builds with mkdocs --strict, with every runbook anchor in the page', () => {
    const { build, cleanup } = buildDocs(exampleSpec('user-events'));
    try {
      expect(build.log).not.toMatch(/WARNING|ERROR/);
      expect(build.status).toBe(0);
      const runbook = build.read('runbook/index.html');
      for (const anchor of Object.keys(RUNBOOK_SECTIONS)) {
        expect(runbook).toContain(`id="${anchor}"`);
      }
      expect(build.read('index.html')).toContain('href="runbook/#lag"');
      // Every stylesheet is served with the site: nothing from outside.
      expect(runbook).not.toMatch(/<link[^>]+href="https?:/);
    } finally {
      cleanup();
    }
  }, 180_000);

  it.each(readdirSync(EXAMPLES))(
    'the committed docs of example %s build with mkdocs --strict',
    name => {
      const build = mkdocsBuild(join(EXAMPLES, name, 'mkdocs.yml'));
      try {
        expect(build.log).not.toMatch(/WARNING|ERROR/);
        expect(build.status).toBe(0);
        expect(build.read('runbook/index.html')).toContain('id="data-loss"');
      } finally {
        build.remove();
      }
    },
    180_000,
  );

  it('shows hostile user text as text in the built site', () => {
    const description = [
      '<script>alert("description")</script> [click](javascript:alert(1))',
      '{++<img src=x onerror=alert(2)>++} :smile: *bold* `tick` | pipe',
      '--8<-- "/etc/passwd"',
      '# not a heading',
    ].join('\n');
    const example = exampleSpec('user-events').pipeline;
    // Through the validator, so the text is what a user could really write.
    const spec = specOf(
      toYaml({
        pipeline: {
          ...example,
          title: '<img src=x onerror=alert(3)> Title',
          description,
          transformations: example.transformations.map(t =>
            t.type === 'filter'
              ? {
                  ...t,
                  condition: "event_type != '</code><script>alert(4)</script>'",
                }
              : t,
          ),
        },
      }),
    );
    expect(spec.pipeline.description).toBe(description);

    const { build, cleanup } = buildDocs(spec);
    try {
      expect(build.status).toBe(0);
      for (const page of ['index.html', 'runbook/index.html']) {
        const html = build.read(page);
        expect(html).not.toMatch(/<script>alert/);
        expect(html).not.toMatch(/<img src=x/);
        expect(html).not.toMatch(/onerror=/);
        expect(html).not.toMatch(/href="javascript:/i);
        expect(html).not.toMatch(/<ins\b/);
        expect(html).not.toContain('root:x:0');
      }
      const overview = textOf(build.read('index.html'));
      expect(overview).toContain(
        description.replace(/\n/g, ' ').replace('\u202e', ''),
      );
      expect(overview).toContain('<img src=x onerror=alert(3)> Title');
      expect(overview).toContain(
        "event_type != '</code><script>alert(4)</script>'",
      );
    } finally {
      cleanup();
    }
  }, 180_000);
});

describe('shellWord', () => {
  it.each(['-clicks', '--bootstrap-server', '-', "a'b", 'a b', '$(id)'])(
    'refuses %j in a command',
    value => {
      expect(() => shellWord(value)).toThrow(
        `not a safe shell word: ${JSON.stringify(value)}`,
      );
    },
  );

  it.each(['clicks', 'team.user-events', 's3a://lake/t', 'a-b_c'])(
    'keeps %j',
    value => {
      expect(shellWord(value)).toBe(value);
    },
  );
});
