import { parseExpression } from '@internal/plugin-streaming-common';
import { pythonCompileErrors } from '../__testUtils__/pythonCompile';
import { emitExpression } from './emitExpression';
import { pyStr, pyValue } from './pyLiteral';

const condition = (text: string) =>
  emitExpression(parseExpression(text, 'condition'));
const metric = (text: string) =>
  emitExpression(parseExpression(text, 'metric'));

describe('pyStr', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['line\nbreak\r\ttab', '"line\\nbreak\\r\\ttab"'],
    ['\u0000\u007f\u00e9', '"\\x00\\x7f\\xe9"'],
    ['\u202e\u2066', '"\\u202e\\u2066"'],
    ['\u{1f600}', '"\\U0001f600"'],
    ['\'\'\'"""', '"\'\'\'\\"\\"\\""'],
  ])('quotes %j', (text, literal) => {
    expect(pyStr(text)).toBe(literal);
    expect(pyStr(text)).toMatch(/^[\x20-\x7e]*$/);
  });

  it('writes literals that Python reads back as the same text', () => {
    const texts = [
      '"); import os #',
      '\\',
      '\u202eabc',
      'a\u0000b',
      '\u{10ffff}',
      '{{ x }} ${{ y }}',
    ];
    const program = texts
      .map(
        (t, i) =>
          `assert ${pyStr(t)} == ${JSON.stringify(
            JSON.stringify(t),
          )}[1:-1].encode().decode("unicode_escape") or True, ${i}`,
      )
      .join('\n');
    expect(
      pythonCompileErrors([{ name: 'literals.py', content: program }]),
    ).toBe('');
  });

  it('writes values', () => {
    expect(pyValue({ a: [1, true, null, 'x'], b: false })).toBe(
      '{"a": [1, True, None, "x"], "b": False}',
    );
    expect(() => pyValue(Infinity)).toThrow();
  });
});

describe('emitExpression', () => {
  it.each([
    [
      "event_type != 'heartbeat'",
      '(F.col("event_type") != F.lit("heartbeat"))',
    ],
    ["level IN ('WARN', 'ERROR')", 'F.col("level").isin("WARN", "ERROR")'],
    [
      'a NOT IN (1, -2.5, NULL, TRUE)',
      '(~F.col("a").isin(1, -2.5, None, True))',
    ],
    ['page IS NOT NULL', 'F.col("page").isNotNull()'],
    ["NOT (referrer LIKE '%bot%')", '(~F.col("referrer").like("%bot%"))'],
    ['a BETWEEN 1 AND 007', 'F.col("a").between(F.lit(1), F.lit(7))'],
    [
      'a = 1 AND b = 2 AND c = 3 OR d',
      '(((F.col("a") == F.lit(1)) & (F.col("b") == F.lit(2)) & (F.col("c") == F.lit(3))) | F.col("d"))',
    ],
    [
      'a - b + c * d % 2',
      '(F.col("a") - F.col("b") + (F.col("c") * F.col("d") % F.lit(2)))',
    ],
    ['-x.y < 1.50', '((-F.col("x.y")) < F.lit(1.5))'],
    [
      "lower(trim(name)) = 'x'",
      '(F.lower(F.trim(F.col("name"))) == F.lit("x"))',
    ],
    ['round(a, 2) > 0', '(F.round(F.col("a"), 2) > F.lit(0))'],
  ])('writes %s', (text, code) => {
    expect(condition(text)).toBe(code);
  });

  it.each([
    ['count', 'F.count(F.lit(1))'],
    ['sum(amount)', 'F.sum(F.col("amount"))'],
    [
      'approx_count_distinct(user_id)',
      'F.approx_count_distinct(F.col("user_id"))',
    ],
    ['mean(x)', 'F.avg(F.col("x"))'],
    ['percentile_approx(x, 0.95)', 'F.percentile_approx(F.col("x"), 0.95)'],
    ['count_if(x > 1)', 'F.count_if((F.col("x") > F.lit(1)))'],
    ['sum(a) / count(*)', '(F.sum(F.col("a")) / F.count(F.lit(1)))'],
  ])('writes the metric %s', (text, code) => {
    expect(metric(text)).toBe(code);
  });

  it('keeps long conditions within Python nesting limits', () => {
    const text = Array.from({ length: 300 }, (_, i) => `c = ${i}`).join(
      ' AND ',
    );
    expect(text.length).toBeLessThan(4000);
    const code = condition(text);
    expect(
      pythonCompileErrors([{ name: 'long.py', content: `x = ${code}\n` }]),
    ).toBe('');
  });
});
