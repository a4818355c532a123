import { Expression } from '@internal/plugin-streaming-common';

/** A value of a sample row: JSON-like, or null (SQL NULL). */
export type SampleValue = string | number | boolean | null;

/** SQL's three-valued result: true, false or null (unknown). */
type Truth = boolean | null;

/**
 * Thrown for what the evaluator does not model (function calls, mixed
 * types). It only ends an evaluation that is then left out, so it carries no
 * stack trace (capturing one cost more than the evaluation).
 */
export class NotEvaluable extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

function like(text: string, pattern: string): boolean {
  const source = [...pattern]
    .map(c => {
      if (c === '%') return '.*';
      if (c === '_') return '.';
      return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, 's').test(text);
}

function compare(
  op: '=' | '!=' | '<' | '<=' | '>' | '>=',
  a: SampleValue,
  b: SampleValue,
): Truth {
  if (a === null || b === null) return null;
  if (typeof a !== typeof b) throw new NotEvaluable('mixed types');
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/**
 * Evaluates a filter condition of the spec's grammar on one row with SQL's
 * semantics (NULL propagates; AND/OR/NOT are three-valued; a row is kept
 * only when the condition is true). The oracle of the generated filter
 * tests: an implementation independent of the Column API code the job runs.
 */
export function evaluateCondition(
  expression: Expression,
  row: Record<string, SampleValue>,
): SampleValue {
  const e = (x: Expression) => evaluateCondition(x, row);
  switch (expression.kind) {
    case 'column':
      if (!Object.hasOwn(row, expression.name)) {
        throw new NotEvaluable(`no value for ${expression.name}`);
      }
      return row[expression.name];
    case 'string':
    case 'boolean':
      return expression.value;
    case 'number':
      return Number(expression.text);
    case 'null':
      return null;
    case 'negate': {
      const v = e(expression.operand);
      if (v === null) return null;
      if (typeof v !== 'number')
        throw new NotEvaluable('negating a non-number');
      return -v;
    }
    case 'not': {
      const v = e(expression.operand);
      return v === null ? null : !v;
    }
    case 'logical': {
      const a = e(expression.left) as Truth;
      const b = e(expression.right) as Truth;
      if (expression.op === 'AND') {
        if (a === false || b === false) return false;
        return a === null || b === null ? null : true;
      }
      if (a === true || b === true) return true;
      return a === null || b === null ? null : false;
    }
    case 'compare':
      return compare(expression.op, e(expression.left), e(expression.right));
    case 'arithmetic': {
      const a = e(expression.left);
      const b = e(expression.right);
      if (a === null || b === null) return null;
      if (typeof a !== 'number' || typeof b !== 'number') {
        throw new NotEvaluable('arithmetic on a non-number');
      }
      const ops = {
        '+': a + b,
        '-': a - b,
        '*': a * b,
        '/': b === 0 ? null : a / b,
        '%': b === 0 ? null : a % b,
      };
      return ops[expression.op];
    }
    case 'in': {
      const v = e(expression.operand);
      if (v === null) return null;
      const matches = expression.values.map(x => compare('=', v, e(x)));
      let found: Truth = false;
      if (matches.includes(true)) found = true;
      else if (matches.includes(null)) found = null;
      return found === null ? null : found !== expression.negated;
    }
    case 'isNull':
      return (e(expression.operand) === null) !== expression.negated;
    case 'like': {
      const v = e(expression.operand);
      if (v === null) return null;
      if (typeof v !== 'string' || expression.pattern.includes('\\')) {
        throw new NotEvaluable('LIKE on a non-string or with an escape');
      }
      return like(v, expression.pattern) !== expression.negated;
    }
    case 'between': {
      const v = e(expression.operand);
      const low = compare('>=', v, e(expression.low));
      const high = compare('<=', v, e(expression.high));
      if (low === false || high === false) return expression.negated;
      if (low === null || high === null) return null;
      return !expression.negated;
    }
    default:
      throw new NotEvaluable(`not modelled: ${expression.kind}`);
  }
}
