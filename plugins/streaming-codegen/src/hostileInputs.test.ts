import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import {
  formatSpecError,
  parsePipelineSpec,
  validatePipelineSpec,
} from '@internal/plugin-streaming-common';
import {
  HOSTILE_INPUTS,
  HOSTILE_RENDER_OPTIONS,
  HOSTILE_YAML,
} from './__fixtures__/hostileInputs';
import { repoRoot } from './__testUtils__/goldenCases';
import { pythonCompileErrors } from './__testUtils__/pythonCompile';
import { pyStr } from './python/pyLiteral';
import { RenderInputError } from './RenderInputError';
import { RenderOptions } from './RenderOptions';
import { renderPipeline } from './renderPipeline';

const base = parsePipelineSpec(
  readFileSync(
    join(repoRoot, 'examples/pipelines/clickstream/pipeline.yaml'),
    'utf8',
  ),
).spec!;

function editedObject(edit: (pipeline: any) => void) {
  const copy = JSON.parse(JSON.stringify(base));
  edit(copy.pipeline);
  return copy;
}

function edited(edit: (pipeline: any) => void) {
  return validatePipelineSpec(editedObject(edit));
}

const byFile = (files: Array<{ path: string; content: string }>) =>
  Object.fromEntries(files.map(f => [f.path, f.content]));

const rejected = HOSTILE_INPUTS.flatMap(h =>
  'rejected' in h.expect ? [[h.name, h, h.expect.rejected] as const] : [],
);
const inert = HOSTILE_INPUTS.flatMap(h =>
  'inert' in h.expect ? [[h.name, h, h.expect.inert] as const] : [],
);
const safe = HOSTILE_INPUTS.flatMap(h =>
  'safe' in h.expect ? [[h.name, h, h.expect.safe] as const] : [],
);

describe('hostile inputs', () => {
  it('are at least 80', () => {
    expect(
      HOSTILE_INPUTS.length +
        HOSTILE_YAML.length +
        HOSTILE_RENDER_OPTIONS.length,
    ).toBeGreaterThanOrEqual(80);
  });

  it.each(rejected)('rejects %s', (_, h, want) => {
    const result = edited(h.edit);
    expect(result.spec).toBeUndefined();
    const messages = result.errors
      .filter(e => e.path.startsWith(want.path))
      .map(formatSpecError);
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(want.message)]),
    );
    // The message itself never echoes control or bidi characters.
    const unsafe = [...result.errors.map(formatSpecError).join('')].filter(
      ch => ch.charCodeAt(0) < 0x20 || /[\u202a-\u202e\u2066-\u2069]/.test(ch),
    );
    expect(unsafe).toEqual([]);
    // The library entry point refuses it as well, naming the same problem.
    expect(() => renderPipeline(editedObject(h.edit))).toThrow(
      RenderInputError,
    );
    expect(() => renderPipeline(editedObject(h.edit))).toThrow(want.message);
  });

  it.each(HOSTILE_RENDER_OPTIONS.map(h => [h.name, h] as const))(
    'refuses render options with %s',
    (_, h) => {
      const render = () =>
        renderPipeline(base, h.options as unknown as RenderOptions);
      expect(render).toThrow(RenderInputError);
      expect(render).toThrow(h.message);
    },
  );

  it.each(safe)('renders safely: %s', (_, h, want) => {
    const result = edited(h.edit);
    expect(result.errors).toEqual([]);
    const files = byFile(renderPipeline(result.spec!));
    for (const line of want.jobContains) {
      expect(files['job/main.py']).toContain(line);
    }
    expect(
      pythonCompileErrors([{ name: 'main.py', content: files['job/main.py'] }]),
    ).toBe('');
  });

  it('never lets a YAML tag of the spec text reach pipeline.yaml', () => {
    const text = readFileSync(
      join(repoRoot, 'examples/pipelines/clickstream/pipeline.yaml'),
      'utf8',
    )
      .replace(
        'title: Clickstream',
        'title: !<tag:evil.example,2024:x> Clickstream',
      )
      .replace("delay: '2 minutes'", 'delay: !!str 2 minutes')
      .replace('group_by: [page]', 'group_by: !local [page]');
    const parsed = parsePipelineSpec(text);
    expect(parsed.errors).toEqual([]);
    const written = byFile(renderPipeline(parsed.spec!, { specText: text }))[
      'pipeline.yaml'
    ];
    expect(written).not.toMatch(/!/);
    // Comments are kept; the values are the spec's.
    expect(written).toContain('# Clickstream: Kafka topic');
    expect(parsePipelineSpec(written).spec).toEqual(parsed.spec);
  });

  it.each(HOSTILE_YAML.map(h => [h.name, h] as const))(
    'rejects YAML with %s',
    (_, h) => {
      const result = parsePipelineSpec(h.text);
      expect(result.spec).toBeUndefined();
      expect(result.errors.map(formatSpecError).join('\n')).toMatch(h.message);
    },
  );

  describe('carried inertly', () => {
    const baseline = byFile(renderPipeline(base));

    /** Renders the edited spec; checks what holds for every inert case. */
    function renderInert(edit: (pipeline: any) => void) {
      const result = edited(edit);
      expect(result.errors).toEqual([]);
      const files = byFile(renderPipeline(result.spec!));
      expect(Object.keys(files)).toEqual(Object.keys(baseline));
      const yamlFiles = Object.keys(files).filter(p => /\.ya?ml$/.test(p));
      expect(yamlFiles.map(p => Object.keys(parse(files[p])))).toEqual(
        yamlFiles.map(p => Object.keys(parse(baseline[p]))),
      );
      const python = Object.entries(files)
        .filter(([path]) => path.endsWith('.py'))
        .map(([name, content]) => ({ name, content }));
      expect(pythonCompileErrors(python)).toBe('');
      return files;
    }

    it.each(inert.filter(([, , want]) => !want.literalIn))(
      'free text: %s',
      (_, h, want) => {
        const files = renderInert(h.edit);
        // Free text never reaches the job or the manifests, and reaches
        // catalog-info.yaml as data.
        expect(files['job/main.py']).toBe(baseline['job/main.py']);
        expect(files['deploy/spark-application.yaml']).toBe(
          baseline['deploy/spark-application.yaml'],
        );
        expect(parse(files['catalog-info.yaml']).metadata.description).toBe(
          want.text,
        );
      },
    );

    it.each(inert.filter(([, , want]) => want.literalIn))(
      'string literal: %s',
      (_, h, want) => {
        const files = renderInert(h.edit);
        // The text is confined to one Python string literal: replacing that
        // literal by a placeholder gives the job of a placeholder spec.
        const placeholder = edited(p => {
          h.edit(p);
          p.transformations[0].condition =
            p.transformations[0].condition.replace(
              /'(?:[^']|'')*'/,
              "'PLACEHOLDER'",
            );
        });
        const expected = byFile(renderPipeline(placeholder.spec!))[
          'job/main.py'
        ];
        expect(files['job/main.py']).toContain(pyStr(want.text));
        expect(
          files['job/main.py'].replace(pyStr(want.text), pyStr('PLACEHOLDER')),
        ).toBe(expected);
      },
    );
  });
});
