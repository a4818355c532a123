import { Expression, allowedFunction } from '@internal/plugin-streaming-common';
import { pyStr } from './pyLiteral';

/** A number token of the grammar as a Python literal (no leading zeros). */
function pyNumber(text: string): string {
  if (/^\d+$/.test(text)) {
    return BigInt(text).toString();
  }
  return String(Number(text));
}

/** A literal of an IN list as a plain Python value. */
function pyPlain(expression: Expression): string {
  switch (expression.kind) {
    case 'string':
      return pyStr(expression.value);
    case 'number':
      return pyNumber(expression.text);
    case 'boolean':
      return expression.value ? 'True' : 'False';
    case 'null':
      return 'None';
    case 'negate':
      return `-${pyPlain(expression.operand)}`;
    default:
      throw new Error(`not a literal: ${expression.kind}`);
  }
}

const SYMBOL: Record<string, string> = { AND: '&', OR: '|' };

const PRECEDENCE: Record<string, number> = {
  OR: 1,
  AND: 2,
  '+': 3,
  '-': 3,
  '*': 4,
  '/': 4,
  '%': 4,
};

/**
 * A left-nested chain of operators of one precedence, written flat
 * (`a & b & c`, `a - b + c`): Python evaluates it left to right just the
 * same, and long conditions stay far from Python's nesting limit.
 */
function chain(
  expression: Extract<Expression, { kind: 'logical' | 'arithmetic' }>,
  symbol: string,
): string {
  const level = PRECEDENCE[expression.op];
  const left = expression.left;
  const leftCode =
    (left.kind === 'logical' || left.kind === 'arithmetic') &&
    PRECEDENCE[left.op] === level
      ? chain(left, left.kind === 'logical' ? SYMBOL[left.op] : left.op)
      : emitExpression(left);
  return `${leftCode} ${symbol} ${emitExpression(expression.right)}`;
}

const COMPARE = {
  '=': '==',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/**
 * PySpark Column API code for a parsed expression (`F` is
 * `pyspark.sql.functions`). Column names and literals are Python string
 * literals; functions come from the allow-list, never from the text.
 *
 * @public
 */
export function emitExpression(expression: Expression): string {
  const e = emitExpression;
  switch (expression.kind) {
    case 'column':
      return `F.col(${pyStr(expression.name)})`;
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return `F.lit(${pyPlain(expression)})`;
    case 'not':
      return `(~${e(expression.operand)})`;
    case 'negate':
      return `(-${e(expression.operand)})`;
    case 'logical':
      return `(${chain(expression, SYMBOL[expression.op])})`;
    case 'compare':
      return `(${e(expression.left)} ${COMPARE[expression.op]} ${e(
        expression.right,
      )})`;
    case 'arithmetic':
      return `(${chain(expression, expression.op)})`;
    case 'in': {
      const code = `${e(expression.operand)}.isin(${expression.values
        .map(pyPlain)
        .join(', ')})`;
      return expression.negated ? `(~${code})` : code;
    }
    case 'isNull':
      return `${e(expression.operand)}.${
        expression.negated ? 'isNotNull' : 'isNull'
      }()`;
    case 'like': {
      const code = `${e(expression.operand)}.like(${pyStr(
        expression.pattern,
      )})`;
      return expression.negated ? `(~${code})` : code;
    }
    case 'between': {
      const code = `${e(expression.operand)}.between(${e(expression.low)}, ${e(
        expression.high,
      )})`;
      return expression.negated ? `(~${code})` : code;
    }
    case 'call': {
      const fn = allowedFunction(expression.name);
      if (!fn) {
        throw new Error(`function not allowed: ${expression.name}`);
      }
      if (expression.star || (fn.allowsStar && expression.args.length === 0)) {
        return `F.${fn.pyspark}(F.lit(1))`;
      }
      const args = expression.args.map((arg, i) =>
        fn.intArgs?.includes(i) || fn.numberArgs?.includes(i)
          ? pyPlain(arg)
          : e(arg),
      );
      return `F.${fn.pyspark}(${args.join(', ')})`;
    }
    default:
      throw new Error('unknown expression');
  }
}
