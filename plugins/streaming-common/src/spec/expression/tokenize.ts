import { ExpressionError } from './ExpressionError';

/** @public */
export type TokenKind =
  | 'identifier'
  | 'keyword'
  | 'string'
  | 'number'
  | 'operator'
  | 'end';

/** @public */
export interface Token {
  kind: TokenKind;
  /** Keywords upper-cased; strings unquoted; everything else as written. */
  value: string;
  /** 0-based offset in the text. */
  offset: number;
}

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS',
  'NULL',
  'LIKE',
  'BETWEEN',
  'TRUE',
  'FALSE',
]);

const OPERATORS = [
  '<=',
  '>=',
  '!=',
  '<>',
  '==',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '(',
  ')',
  ',',
];

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function describeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code >= 0x20 && code < 0x7f
    ? `"${ch}"`
    : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Splits an expression into tokens. Only the characters of the grammar are
 * accepted: anything else (quotes other than `'`, backticks, semicolons,
 * control or bidi characters, ...) is an error at its position.
 *
 * @public
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) {
          throw new ExpressionError('unterminated string literal', i + 1);
        }
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push({ kind: 'string', value, offset: i });
      i = j + 1;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number) {
      if (!Number.isFinite(Number(number[0]))) {
        throw new ExpressionError('number out of range', i + 1);
      }
      tokens.push({ kind: 'number', value: number[0], offset: i });
      i += number[0].length;
      if (i < text.length && /[A-Za-z_]/.test(text[i])) {
        throw new ExpressionError(
          `unexpected ${describeChar(text[i])} after a number`,
          i + 1,
        );
      }
      continue;
    }
    IDENTIFIER.lastIndex = i;
    const identifier = IDENTIFIER.exec(text);
    if (identifier) {
      const upper = identifier[0].toUpperCase();
      tokens.push(
        KEYWORDS.has(upper)
          ? { kind: 'keyword', value: upper, offset: i }
          : { kind: 'identifier', value: identifier[0], offset: i },
      );
      i += identifier[0].length;
      continue;
    }
    const start = i;
    const operator = OPERATORS.find(op => text.startsWith(op, start));
    if (operator) {
      tokens.push({ kind: 'operator', value: operator, offset: i });
      i += operator.length;
      continue;
    }
    if (ch === '"') {
      throw new ExpressionError(
        'double quotes are not allowed; write string literals in single quotes',
        i + 1,
      );
    }
    throw new ExpressionError(
      `unexpected character ${describeChar(ch)}`,
      i + 1,
    );
  }
  tokens.push({ kind: 'end', value: '', offset: text.length });
  return tokens;
}
