import { ExpressionError } from './ExpressionError';
import { expressionColumns, parseExpression } from './parseExpression';
import { tokenize } from './tokenize';

function errorOf(text: string, context: 'condition' | 'metric' = 'condition') {
  try {
    parseExpression(text, context);
  } catch (e) {
    if (e instanceof ExpressionError) {
      return {
        message: e.message,
        position: e.position,
        suggestion: e.suggestion,
      };
    }
    throw e;
  }
  throw new Error(`parsed: ${text}`);
}

describe('tokenize', () => {
  it('splits literals, keywords, identifiers and operators', () => {
    expect(
      tokenize("a.b >= 1.5e3 AND name LIKE 'it''s' or x <> -2").map(t => [
        t.kind,
        t.value,
      ]),
    ).toEqual([
      ['identifier', 'a.b'],
      ['operator', '>='],
      ['number', '1.5e3'],
      ['keyword', 'AND'],
      ['identifier', 'name'],
      ['keyword', 'LIKE'],
      ['string', "it's"],
      ['keyword', 'OR'],
      ['identifier', 'x'],
      ['operator', '<>'],
      ['operator', '-'],
      ['number', '2'],
      ['end', ''],
    ]);
  });
});

describe('parseExpression', () => {
  it('gives the same frozen tree for the same text and context', () => {
    const tree = parseExpression("a > 1 AND lower(b) = 'x'", 'condition');
    expect(parseExpression("a > 1 AND lower(b) = 'x'", 'condition')).toBe(tree);
    expect(Object.isFrozen(tree)).toBe(true);
    expect(() => {
      (tree as { kind: string }).kind = 'null';
    }).toThrow(TypeError);
    // The context is part of what is remembered: a metric must aggregate.
    expect(parseExpression('count', 'metric')).toMatchObject({ star: true });
    expect(() => parseExpression('a', 'metric')).toThrow(/aggregate/);
    expect(parseExpression('a', 'condition')).toEqual({
      kind: 'column',
      name: 'a',
    });
    expect(() => parseExpression('a', 'metric')).toThrow(/aggregate/);
  });

  it('parses the grammar with SQL precedence', () => {
    expect(
      parseExpression(
        "NOT a = 1 OR b IS NOT NULL AND c IN ('x', 2, NULL)",
        'condition',
      ),
    ).toEqual({
      kind: 'logical',
      op: 'OR',
      left: {
        kind: 'not',
        operand: {
          kind: 'compare',
          op: '=',
          left: { kind: 'column', name: 'a' },
          right: { kind: 'number', text: '1' },
        },
      },
      right: {
        kind: 'logical',
        op: 'AND',
        left: {
          kind: 'isNull',
          operand: { kind: 'column', name: 'b' },
          negated: true,
        },
        right: {
          kind: 'in',
          operand: { kind: 'column', name: 'c' },
          values: [
            { kind: 'string', value: 'x' },
            { kind: 'number', text: '2' },
            { kind: 'null' },
          ],
          negated: false,
        },
      },
    });
  });

  it('parses BETWEEN, LIKE, arithmetic and parentheses', () => {
    expect(
      parseExpression(
        "(a + 2) * 3 NOT BETWEEN 1 AND 10 AND s NOT LIKE 'x%' AND f = false",
        'condition',
      ),
    ).toMatchObject({
      kind: 'logical',
      left: {
        kind: 'logical',
        left: {
          kind: 'between',
          negated: true,
          operand: {
            kind: 'arithmetic',
            op: '*',
            left: { kind: 'arithmetic', op: '+' },
          },
        },
        right: { kind: 'like', pattern: 'x%', negated: true },
      },
      right: { kind: 'compare', right: { kind: 'boolean', value: false } },
    });
  });

  it('reads a bare count metric as count(*)', () => {
    expect(parseExpression('count', 'metric')).toEqual({
      kind: 'call',
      name: 'count',
      args: [],
      star: true,
    });
    expect(parseExpression('COUNT(*)', 'metric')).toEqual({
      kind: 'call',
      name: 'count',
      args: [],
      star: true,
    });
  });

  it('lists the columns an expression reads', () => {
    expect(
      expressionColumns(
        parseExpression('sum(a * b) / count(c) + max(a)', 'metric'),
      ),
    ).toEqual(['a', 'b', 'c']);
  });

  it.each([
    [
      "a = 'x",
      'condition',
      { message: 'unterminated string literal', position: 5 },
    ],
    [
      'a = 1 AND',
      'condition',
      { message: 'unexpected the end of the expression', position: 10 },
    ],
    [
      'a = (1',
      'condition',
      { message: 'expected ")", found the end of the expression', position: 7 },
    ],
    [
      'a IS 1',
      'condition',
      { message: 'expected NULL after IS, found number 1', position: 6 },
    ],
    [
      'a LIKE b',
      'condition',
      {
        message: 'LIKE needs a string literal pattern, found "b"',
        position: 8,
      },
    ],
    [
      'a IN (b)',
      'condition',
      { message: 'IN lists hold literals only', position: 7 },
    ],
    [
      'a BETWEEN 1 OR 2',
      'condition',
      { message: 'expected AND in BETWEEN, found "OR"', position: 13 },
    ],
    [
      'lowr(a) = 1',
      'condition',
      {
        message: expect.stringMatching(/^unknown function "lowr"/),
        position: 1,
        suggestion: 'lower',
      },
    ],
    [
      'sum(a) > 1',
      'condition',
      {
        message: expect.stringMatching(
          /^aggregate function sum\(\) is not allowed here/,
        ),
        position: 1,
      },
    ],
    [
      'amount',
      'metric',
      {
        message:
          'column "amount" must be inside an aggregate function such as sum(amount)',
        position: 1,
      },
    ],
    [
      'sum(max(a))',
      'metric',
      {
        message:
          'aggregate function max() cannot be nested in another aggregate',
        position: 5,
      },
    ],
    [
      'round(a, b) > 1',
      'condition',
      {
        message: 'argument 2 of round() takes a whole number'.replace(
          'takes',
          'must be',
        ),
        position: 1,
      },
    ],
    [
      'substring(a) = 1',
      'condition',
      { message: 'substring() takes 3 arguments, got 1', position: 1 },
    ],
    [
      'percentile_approx(a, b)',
      'metric',
      {
        message: 'argument 2 of percentile_approx() must be a number',
        position: 1,
      },
    ],
    [
      '1 + 1',
      'metric',
      {
        message: expect.stringMatching(/^a metric needs an aggregate function/),
        position: 1,
      },
    ],
    ['a = 1e999', 'condition', { message: 'number out of range', position: 5 }],
    [
      'a = 12abc',
      'condition',
      { message: 'unexpected "a" after a number', position: 7 },
    ],
    [
      'a = `b`',
      'condition',
      { message: 'unexpected character "`"', position: 5 },
    ],
    ['', 'condition', { message: 'empty expression', position: 1 }],
  ] as const)('rejects %j (%s)', (text, context, error) => {
    expect(errorOf(text, context)).toEqual(expect.objectContaining(error));
  });

  it('limits length and nesting', () => {
    expect(errorOf(`a = '${'x'.repeat(5000)}'`).message).toBe(
      'expression longer than 4000 characters',
    );
    expect(errorOf(`${'('.repeat(60)}a = 1${')'.repeat(60)}`).message).toBe(
      'expression nested deeper than 48 levels',
    );
    expect(errorOf(`${'NOT '.repeat(60)}a`).message).toBe(
      'expression nested deeper than 48 levels',
    );
  });
});
