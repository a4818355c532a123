import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { toYaml } from './yaml';

/** What the library writes, which toYaml must equal byte for byte. */
const library = (value: unknown) =>
  stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(file);
    return /\.ya?ml$/.test(entry.name) ? [file] : [];
  });
}

describe('toYaml', () => {
  it('keeps hostile strings as data', () => {
    const value = {
      description: 'line one\nkind: Secret\n{{ x }} ${{ y }}',
      name: 'a: b # c',
    };
    const text = toYaml(value);
    expect(parse(text)).toEqual(value);
    expect(text).not.toMatch(/^kind: Secret/m);
  });

  it('writes what the yaml library writes, for awkward values', () => {
    const strings = [
      '',
      ' ',
      'plain',
      'a: b',
      '- item',
      '# not a comment',
      'multi\nline',
      'multi\nline\n',
      '  leading\nspaces',
      'trailing \n',
      'yes',
      'null',
      '~',
      '1.0',
      '0x1F',
      '"quoted"',
      "it's",
      '{{ x }}',
      '${{ y }}',
      '*alias',
      '&anchor',
      '!tag',
      '%directive',
      '@at',
      '`tick',
      'tab\there',
      '\u0000nul',
      'emoji 🚀',
      'é',
      '---',
      '...',
      'a'.repeat(2000),
      'x\n\n\ny',
    ];
    const value = {
      strings,
      asValues: Object.fromEntries(strings.map((s, i) => [`k${i}`, s])),
      asKeys: Object.fromEntries(strings.map((s, i) => [s, i])),
      numbers: [0, 1, -1, 1.5, 1e21, 1e-7, Number.MAX_SAFE_INTEGER],
      flags: [true, false, null, undefined],
      empty: { map: {}, seq: [], onlyUndefined: { a: undefined } },
      nested: [
        [1, [2, [3, 'a\nb']]],
        [{ a: 'x\ny', b: [{ c: 'p\nq\n' }], d: {} }, []],
        { deep: { deeper: { deepest: ['z\nz'] } } },
      ],
      skipped: undefined,
    };
    expect(toYaml(value)).toBe(library(value));
    expect(toYaml(value.nested)).toBe(library(value.nested));
    for (const top of [{}, [], 'text', 1, null]) {
      expect(toYaml(top)).toBe(library(top));
    }
  });

  it('writes names as the library does, at the edges of the plain form', () => {
    const strings = [
      ...['true', 'True', 'TRUE', 'false', 'False', 'FALSE'],
      ...['null', 'Null', 'NULL', 'nULL', 'truE', 'yes', 'No', 'on', 'OFF'],
      ...['_', '_x', 'e1', 'E10', 'nan', 'inf', 'x0x1', 'a.b/c-d_e'],
      ...['a - b', 'a -', 'a ', 'a  b', 'a. b', '-a', '.a', '/a', '0a'],
      ...[1001, 1002, 1023, 1024, 1025].map(n => 'a'.repeat(n)),
      `a${' b'.repeat(600)}`,
    ];
    const value = {
      asValues: Object.fromEntries(strings.map((s, i) => [`k${i}`, s])),
      asKeys: Object.fromEntries(strings.map((s, i) => [s, i])),
      nested: { keys: Object.fromEntries(strings.map((s, i) => [s, [s, i]])) },
      items: strings,
    };
    expect(toYaml(value)).toBe(library(value));
    expect(toYaml(value.asKeys)).toBe(library(value.asKeys));
  });

  it('writes values and items as the library does, at the edges of the plain form', () => {
    const strings = [
      ...['time() - max(x{pipeline="a-1"}) > 30', '(a)', '/checkpoints/a-1'],
      ...[
        'image/a-1:latest',
        'a:b',
        'a: b',
        'a:',
        'a :',
        'a#b',
        'a #b',
        'a# b',
      ],
      ...['a ', 'a\tb', 'a\nb', '(', '/', '_', 'é', 'a\u0085b', 'a\u007fb'],
      ...['true', 'Null', 'nulls', 'FALSE', 'a{b}', 'a[b]', 'a,b', "a'b"],
      ...[
        'a "b"',
        'a&b',
        'a*',
        'a!',
        'a|b',
        'a>b',
        'a%b',
        'a@b',
        'a`b',
        '(---',
      ],
      ...['/...', '_---', 'a\\b', `a${' '.repeat(2000)}b`, 'x'.repeat(3000)],
    ];
    const value = {
      asValues: Object.fromEntries(strings.map((s, i) => [`k${i}`, s])),
      nested: { a: { items: strings, map: { k: strings[0] } } },
      items: strings,
    };
    expect(toYaml(value)).toBe(library(value));
  });

  it('writes seeded random strings as the library does, in every position', () => {
    // Short strings over the characters the plain form cares about, as keys,
    // values and items at the top and nested (seeded, so a failure repeats).
    const alphabet = [
      ...'aZ_/()-?: #"\'{}[],&*!|>%@`.01e~+\t\nxé',
      'true',
      'null',
      '---',
      '...',
    ];
    let seed = 22;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const strings = Array.from({ length: 20_000 }, () =>
      Array.from(
        { length: 1 + Math.floor(random() * 8) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join(''),
    );
    for (let i = 0; i < strings.length; i += 500) {
      const chunk = strings.slice(i, i + 500);
      const value = {
        values: Object.fromEntries(chunk.map((s, j) => [`k${j}`, s])),
        keys: Object.fromEntries(chunk.map((s, j) => [s, j])),
        items: chunk,
        nested: [{ deep: Object.fromEntries(chunk.map(s => [s, [s]])) }],
      };
      expect(toYaml(value)).toBe(library(value));
      expect(toYaml(value.keys)).toBe(library(value.keys));
    }
  });

  it('writes maps without a prototype (as zod parses records) as the library does', () => {
    const record = (entries: Array<[string, unknown]>) =>
      Object.assign(Object.create(null), Object.fromEntries(entries));
    const value = {
      columns: record([
        ['status', 'state'],
        ['a: b', 'yes'],
        ['__proto__', 'x'],
        ['nested', record([['k', ['v', record([])]]])],
      ]),
      items: [record([['count(*)', 'rows']]), record([])],
    };
    expect(toYaml(value)).toBe(library(value));
    expect(toYaml(value.columns)).toBe(library(value.columns));
  });

  it('writes what the library writes for values that are not JSON data, at any depth', () => {
    class Point {
      constructor(readonly x = 1) {}
    }
    let deep: unknown = 'bottom';
    for (let i = 0; i < 150; i++) deep = i % 2 ? { [`k${i}`]: deep } : [deep];
    const values = [
      { when: new Date(Date.UTC(2026, 0, 2)) },
      { map: new Map([['a', 1]]), set: new Set(['b']) },
      { numbers: [Infinity, -Infinity, NaN] },
      { point: new Point(), list: [new Point(2)] },
      { nested: { big: BigInt(7) } },
      { deep },
    ];
    for (const value of values) {
      expect(toYaml(value)).toBe(library(value));
    }
  });

  it('writes every generated YAML file of the goldens and examples as the library does', () => {
    const files = [
      ...yamlFiles(path.join(__dirname, '__golden__')),
      ...yamlFiles(path.resolve(__dirname, '../../../examples/pipelines')),
    ];
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const value = (doc as { toJS(): unknown }).toJS();
        expect({ file, text: toYaml(value) }).toEqual({
          file,
          text: library(value),
        });
      }
    }
  });
});
