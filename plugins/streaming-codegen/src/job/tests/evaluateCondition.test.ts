import { parseExpression } from '@internal/plugin-streaming-common';
import { evaluateCondition } from './evaluateCondition';
import { filterSamples } from './filterSamples';

const evaluate = (condition: string, row: Record<string, any>) =>
  evaluateCondition(parseExpression(condition, 'condition'), row);

describe('evaluateCondition', () => {
  it.each([
    ["level IN ('WARN', 'ERROR')", { level: 'WARN' }, true],
    ["level IN ('WARN', 'ERROR')", { level: 'INFO' }, false],
    ["level IN ('WARN', 'ERROR')", { level: null }, null],
    ["level NOT IN ('WARN')", { level: null }, null],
    ["a != 'x' OR b > 1", { a: null, b: 2 }, true],
    ["a != 'x' AND b > 1", { a: null, b: 2 }, null],
    ["a != 'x' AND b > 1", { a: null, b: 0 }, false],
    ['NOT (a IS NULL)', { a: null }, false],
    ["referrer LIKE '%bot%'", { referrer: 'a-bot-b' }, true],
    ["NOT (referrer LIKE '%bot%')", { referrer: null }, null],
    ["code LIKE 'a_c'", { code: 'abc' }, true],
    ["code LIKE 'a_c'", { code: 'abbc' }, false],
    ['total / 0 > 1', { total: 5 }, null],
    ['x BETWEEN 1 AND 3', { x: 3 }, true],
    ['x NOT BETWEEN 1 AND 3', { x: 4 }, true],
  ])('%s on %j is %j', (condition, row, expected) => {
    expect(evaluate(condition, row)).toBe(expected);
  });
});

describe('filterSamples', () => {
  it('gives each named column its literals, another value and null, one column at a time', () => {
    const samples = filterSamples(
      parseExpression(
        "status IN ('paid', 'shipped') AND total > 0",
        'condition',
      ),
    )!;
    expect(samples.rows).toEqual([
      { status: 'paid', total: 0 },
      { status: 'shipped', total: 0 },
      { status: 'zz-none-of-them', total: 0 },
      { status: null, total: 0 },
      { status: 'paid', total: -1 },
      { status: 'paid', total: 1 },
      { status: 'paid', total: 987654 },
      { status: 'paid', total: null },
    ]);
    expect(samples.keep).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(samples.kinds).toEqual({ status: 'string', total: 'integer' });
  });

  it('leaves a column only checked for null at its sample value or null', () => {
    const samples = filterSamples(
      parseExpression(
        "page IS NOT NULL AND NOT (referrer LIKE '%bot%')",
        'condition',
      ),
    )!;
    expect(samples.rows).toEqual([
      { referrer: 'xbotx' },
      { page: null, referrer: 'xbotx' },
      { referrer: '~' },
      { referrer: 'zz-none-of-them' },
      { referrer: null },
    ]);
    expect(samples.keep).toEqual([false, false, true, true, false]);
  });

  it('gives up on what it does not model', () => {
    expect(
      filterSamples(parseExpression('lower(a) = b', 'condition')),
    ).toBeUndefined();
    expect(
      filterSamples(parseExpression('a = b', 'condition')),
    ).toBeUndefined();
  });
});
