import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import {
  formatSpecError,
  parsePipelineSpec,
  validatePipelineSpec,
} from '@internal/plugin-streaming-common';
import { HOSTILE_INPUTS, HOSTILE_YAML } from './__fixtures__/hostileInputs';
import { repoRoot } from './__testUtils__/goldenCases';
import { pythonCompileErrors } from './__testUtils__/pythonCompile';
import { pyStr } from './python/pyLiteral';
import { renderPipeline } from './renderPipeline';

const base = parsePipelineSpec(
  readFileSync(
    join(repoRoot, 'examples/pipelines/clickstream/pipeline.yaml'),
    'utf8',
  ),
).spec!;

function edited(edit: (pipeline: any) => void) {
  const copy = JSON.parse(JSON.stringify(base));
  edit(copy.pipeline);
  return validatePipelineSpec(copy);
}

const byFile = (files: Array<{ path: string; content: string }>) =>
  Object.fromEntries(files.map(f => [f.path, f.content]));

const rejected = HOSTILE_INPUTS.flatMap(h =>
  'rejected' in h.expect ? [[h.name, h, h.expect.rejected] as const] : [],
);
const inert = HOSTILE_INPUTS.flatMap(h =>
  'inert' in h.expect ? [[h.name, h, h.expect.inert] as const] : [],
);

describe('hostile inputs', () => {
  it('are at least 30', () => {
    expect(HOSTILE_INPUTS.length + HOSTILE_YAML.length).toBeGreaterThanOrEqual(
      30,
    );
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
    for (const m of result.errors.map(formatSpecError)) {
      expect(m).not.toMatch(
        /[\u0000-\u0008\u000b-\u001f\u202a-\u202e\u2066-\u2069]/,
      );
    }
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

    it.each(inert)('%s', (_, h, want) => {
      const result = edited(h.edit);
      expect(result.errors).toEqual([]);
      const files = byFile(renderPipeline(result.spec!));
      expect(Object.keys(files)).toEqual(Object.keys(baseline));
      // Every YAML file is one document whose structure matches the baseline's.
      for (const [path, content] of Object.entries(files)) {
        if (/\.ya?ml$/.test(path)) {
          const doc = parse(content);
          expect(Object.keys(doc)).toEqual(Object.keys(parse(baseline[path])));
        }
      }
      if (want.literalIn === 'condition') {
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
      } else {
        // Free text never reaches the job, and reaches catalog-info as data.
        expect(files['job/main.py']).toBe(baseline['job/main.py']);
        expect(files['deploy/spark-application.yaml']).toBe(
          baseline['deploy/spark-application.yaml'],
        );
        expect(parse(files['catalog-info.yaml']).metadata.description).toBe(
          want.text,
        );
      }
      expect(
        pythonCompileErrors(
          Object.entries(files)
            .filter(([path]) => path.endsWith('.py'))
            .map(([name, content]) => ({ name, content })),
        ),
      ).toBe('');
    });
  });
});
