import { existsSync, readFileSync, readdirSync } from 'fs';
import { join, resolve } from 'path';
import { parseDocument, stringify } from 'yaml';
import { readPlainYaml } from './readPlainYaml';

/** The library's reading, as parsePipelineSpec asks for it; undefined on errors. */
function library(text: string): string | undefined {
  const doc = parseDocument(text, {
    prettyErrors: false,
    uniqueKeys: true,
    schema: 'core',
    strict: true,
  });
  if (doc.errors.length > 0) return undefined;
  return JSON.stringify(doc.toJS({ maxAliasCount: 50 }));
}

/** The reader either declines the text or reads what the library reads. */
function expectSameOrDeclined(text: string): boolean {
  const value = readPlainYaml(text);
  if (value === undefined) return false;
  expect({ text, value: JSON.stringify(value) }).toEqual({
    text,
    value: library(text),
  });
  return true;
}

const examplesDir = resolve(__dirname, '../../../../examples/pipelines');
const examples = [
  readFileSync(join(__dirname, '__fixtures__/reference.yaml'), 'utf8'),
  ...readdirSync(examplesDir)
    .map(name => join(examplesDir, name, 'pipeline.yaml'))
    .filter(file => existsSync(file))
    .map(file => readFileSync(file, 'utf8')),
];
/** The examples as the library writes them: plain block style. */
const specs = examples.map(text => stringify(parseDocument(text).toJS()));

describe('readPlainYaml', () => {
  it.each([
    'a: 1\nb: true\nc: null\nd: ~\ne:\nf: 007\ng: False',
    'a:\n  b:\n    - x\n    - y: 1\n      z: "q\\"\\\\"\n  c: []\n  d: {}',
    "a:\n- 'it''s'\n- b c\nd: 2g",
    'a: one\n  two\n\n  three\n# comment\nb: x',
    "k: (length(x) BETWEEN 1\n  AND 3) OR y IN ('a',\n  'b')\n",
    'sum(a * b) / count(*): x\npercentile_approx(a, 0.95): y',
    'a: x#y\nb: http://host:80/p',
  ])('reads %j as the library does', text => {
    expect(expectSameOrDeclined(text)).toBe(true);
  });

  it.each([
    'a: 1\na: 2', // duplicate key: the library's error
    'a: 1.5',
    'a: 0x1f',
    'a: -1',
    'a: &x 1\nb: *x',
    'a: !!str 1',
    'a: [1, 2]',
    'a: |\n  text',
    'a: b # comment',
    'a: "unclosed\n  line"',
    'a:\n  b: 1\n   c: 2',
    'a: b\n    c: d',
    'a: "x"\n  y',
    '- a',
    '---\na: 1',
    'a: 1\n---\nb: 2',
    'a:\tb',
    'a: caf\u00e9',
    '__proto__: 1',
    'a:b',
    'a: b: c',
    '"a": 1',
    '- - a',
  ])('declines %j', text => {
    expect(readPlainYaml(text)).toBeUndefined();
  });

  it('reads the specs the library writes, and agrees on the examples', () => {
    for (const text of examples) {
      // Comments after values and block scalars are the library's to read.
      expectSameOrDeclined(text);
    }
    for (const text of specs) {
      expect(expectSameOrDeclined(text)).toBe(true);
    }
  });

  it('declines or agrees with the library on edited specs', () => {
    // Random small edits (seeded), the kind that makes a text invalid or
    // read differently: the reader must never read one the library rejects
    // or reads otherwise.
    let seed = 22;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
    const pieces = [
      ...[' ', '  ', '\n', '\n  ', '\n    ', '\n\n', ':', ': ', '- ', '-'],
      ...['#', ' #', "'", '"', '\\', '[', ']', '{', '}', ',', '?', '&a'],
      ...['*a', '!', '|', '>', '~', 'null', 'true', '1.5', '0x1', '.inf'],
      ...['a: b', '\n- ', '...', '---', '%', '@', '(', '1e3', '-1', '007'],
    ];
    let read = 0;
    for (let n = 0; n < 3000; n++) {
      let text = pick(specs);
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * text.length);
        const kind = random();
        if (kind < 0.45) {
          text = text.slice(0, at) + pick(pieces) + text.slice(at);
        } else if (kind < 0.75) {
          text =
            text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        } else {
          const lines = text.split('\n');
          const i = Math.floor(random() * lines.length);
          lines[i] =
            random() < 0.5 ? ` ${lines[i]}` : lines[i].replace(/^ /, '');
          text = lines.join('\n');
        }
      }
      if (expectSameOrDeclined(text)) read++;
    }
    // Most edited texts stay in the plain style the reader reads.
    expect(read).toBeGreaterThan(300);
  });
});
