import { suggest } from '../suggest';
import { Expression, ExpressionContext } from './ast';
import { ExpressionError } from './ExpressionError';
import {
  AGGREGATE_FUNCTIONS,
  SCALAR_FUNCTIONS,
  allowedFunction,
} from './functions';
import { Token, tokenize } from './tokenize';

/** Longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 4000;
const MAX_DEPTH = 48;

const COMPARISONS: Record<string, '=' | '!=' | '<' | '<=' | '>' | '>='> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return 'a string literal';
    case 'number':
      return `number ${token.value}`;
    default:
      return `"${token.value}"`;
  }
}

class Parser {
  private index = 0;
  private depth = 0;
  private aggregateDepth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly context: ExpressionContext,
  ) {}

  parse(): Expression {
    const expression = this.or();
    const next = this.peek();
    if (next.kind !== 'end') {
      throw this.error(`unexpected ${describe(next)}`, next);
    }
    return expression;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    this.index = Math.min(this.index + 1, this.tokens.length - 1);
    return token;
  }

  private error(message: string, token: Token, suggestion?: string) {
    return new ExpressionError(message, token.offset + 1, suggestion);
  }

  private isKeyword(value: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'keyword' && token.value === value;
  }

  private isOperator(value: string): boolean {
    const token = this.peek();
    return token.kind === 'operator' && token.value === value;
  }

  private expectOperator(value: string, what: string) {
    const token = this.next();
    if (token.kind !== 'operator' || token.value !== value) {
      throw this.error(`expected ${what}, found ${describe(token)}`, token);
    }
  }

  private nested<T>(token: Token, fn: () => T): T {
    if (++this.depth > MAX_DEPTH) {
      throw this.error(
        `expression nested deeper than ${MAX_DEPTH} levels`,
        token,
      );
    }
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private or(): Expression {
    let left = this.and();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'logical', op: 'OR', left, right: this.and() };
    }
    return left;
  }

  private and(): Expression {
    let left = this.not();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'logical', op: 'AND', left, right: this.not() };
    }
    return left;
  }

  private not(): Expression {
    if (this.isKeyword('NOT')) {
      const token = this.next();
      return this.nested(token, () => ({
        kind: 'not' as const,
        operand: this.not(),
      }));
    }
    return this.predicate();
  }

  private predicate(): Expression {
    const operand = this.additive();
    const token = this.peek();
    if (token.kind === 'operator' && COMPARISONS[token.value]) {
      this.next();
      return {
        kind: 'compare',
        op: COMPARISONS[token.value],
        left: operand,
        right: this.additive(),
      };
    }
    if (this.isKeyword('IS')) {
      this.next();
      const negated = this.isKeyword('NOT');
      if (negated) {
        this.next();
      }
      const nullToken = this.next();
      if (nullToken.kind !== 'keyword' || nullToken.value !== 'NULL') {
        throw this.error(
          `expected NULL after IS${negated ? ' NOT' : ''}, found ${describe(
            nullToken,
          )}`,
          nullToken,
        );
      }
      return { kind: 'isNull', operand, negated };
    }
    const negated =
      this.isKeyword('NOT') &&
      ['IN', 'LIKE', 'BETWEEN'].some(k => this.isKeyword(k, 1));
    if (negated) {
      this.next();
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.expectOperator('(', '"(" after IN');
      const values: Expression[] = [this.inValue()];
      while (this.isOperator(',')) {
        this.next();
        values.push(this.inValue());
      }
      this.expectOperator(')', '"," or ")" in the IN list');
      return { kind: 'in', operand, values, negated };
    }
    if (this.isKeyword('LIKE')) {
      this.next();
      const pattern = this.next();
      if (pattern.kind !== 'string') {
        throw this.error(
          `LIKE needs a string literal pattern, found ${describe(pattern)}`,
          pattern,
        );
      }
      return { kind: 'like', operand, pattern: pattern.value, negated };
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.additive();
      const and = this.next();
      if (and.kind !== 'keyword' || and.value !== 'AND') {
        throw this.error(
          `expected AND in BETWEEN, found ${describe(and)}`,
          and,
        );
      }
      return { kind: 'between', operand, low, high: this.additive(), negated };
    }
    return operand;
  }

  private inValue(): Expression {
    const token = this.peek();
    const value = this.unary();
    if (
      value.kind !== 'string' &&
      value.kind !== 'number' &&
      value.kind !== 'boolean' &&
      value.kind !== 'null' &&
      !(value.kind === 'negate' && value.operand.kind === 'number')
    ) {
      throw this.error('IN lists hold literals only', token);
    }
    return value;
  }

  private additive(): Expression {
    let left = this.multiplicative();
    while (this.isOperator('+') || this.isOperator('-')) {
      const op = this.next().value as '+' | '-';
      left = { kind: 'arithmetic', op, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): Expression {
    let left = this.unary();
    while (
      this.isOperator('*') ||
      this.isOperator('/') ||
      this.isOperator('%')
    ) {
      const op = this.next().value as '*' | '/' | '%';
      left = { kind: 'arithmetic', op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expression {
    if (this.isOperator('-')) {
      const token = this.next();
      return this.nested(token, () => ({
        kind: 'negate' as const,
        operand: this.unary(),
      }));
    }
    return this.primary();
  }

  private primary(): Expression {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value };
      case 'number':
        return { kind: 'number', text: token.value };
      case 'keyword':
        if (token.value === 'TRUE' || token.value === 'FALSE') {
          return { kind: 'boolean', value: token.value === 'TRUE' };
        }
        if (token.value === 'NULL') {
          return { kind: 'null' };
        }
        throw this.error(`unexpected keyword ${token.value}`, token);
      case 'identifier':
        if (this.isOperator('(')) {
          return this.call(token);
        }
        if (this.context === 'metric' && this.aggregateDepth === 0) {
          throw this.error(
            `column "${token.value}" must be inside an aggregate function such as sum(${token.value})`,
            token,
          );
        }
        return { kind: 'column', name: token.value };
      case 'operator':
        if (token.value === '(') {
          return this.nested(token, () => {
            const inner = this.or();
            this.expectOperator(')', '")"');
            return inner;
          });
        }
        throw this.error(`unexpected ${describe(token)}`, token);
      default:
        throw this.error(`unexpected ${describe(token)}`, token);
    }
  }

  private call(nameToken: Token): Expression {
    const name = nameToken.value.toLowerCase();
    const fn = allowedFunction(name);
    if (!fn) {
      const known = [
        ...Object.keys(SCALAR_FUNCTIONS),
        ...(this.context === 'metric' ? Object.keys(AGGREGATE_FUNCTIONS) : []),
      ];
      throw this.error(
        `unknown function "${nameToken.value}"; allowed: ${known.join(', ')}`,
        nameToken,
        suggest(name, known),
      );
    }
    if (fn.aggregate && this.context !== 'metric') {
      throw this.error(
        `aggregate function ${name}() is not allowed here; aggregate in an "aggregate" step's metrics`,
        nameToken,
      );
    }
    if (fn.aggregate && this.aggregateDepth > 0) {
      throw this.error(
        `aggregate function ${name}() cannot be nested in another aggregate`,
        nameToken,
      );
    }
    this.next();
    const args: Expression[] = [];
    let star = false;
    if (fn.aggregate) {
      this.aggregateDepth++;
    }
    try {
      this.nested(nameToken, () => {
        if (this.isOperator('*') && fn.allowsStar) {
          this.next();
          star = true;
        } else if (!this.isOperator(')')) {
          args.push(this.or());
          while (this.isOperator(',')) {
            this.next();
            args.push(this.or());
          }
        }
        this.expectOperator(')', `"," or ")" in ${name}()`);
      });
    } finally {
      if (fn.aggregate) {
        this.aggregateDepth--;
      }
    }
    if (!star && (args.length < fn.minArgs || args.length > fn.maxArgs)) {
      const expected =
        fn.minArgs === fn.maxArgs
          ? `${fn.minArgs}`
          : `${fn.minArgs} to ${fn.maxArgs}`;
      throw this.error(
        `${name}() takes ${expected} argument${
          fn.maxArgs === 1 ? '' : 's'
        }, got ${args.length}`,
        nameToken,
      );
    }
    for (const i of fn.intArgs ?? []) {
      const arg = args[i];
      if (arg && (arg.kind !== 'number' || !/^\d+$/.test(arg.text))) {
        throw this.error(
          `argument ${i + 1} of ${name}() must be a whole number`,
          nameToken,
        );
      }
    }
    for (const i of fn.numberArgs ?? []) {
      const arg = args[i];
      if (arg && arg.kind !== 'number') {
        throw this.error(
          `argument ${i + 1} of ${name}() must be a number`,
          nameToken,
        );
      }
    }
    for (const i of [...(fn.intArgs ?? []), ...(fn.numberArgs ?? [])]) {
      const arg = args[i];
      const [low, high] = fn.argRange ?? [-Infinity, Infinity];
      if (
        arg?.kind === 'number' &&
        !(Number(arg.text) >= low && Number(arg.text) <= high)
      ) {
        throw this.error(
          `argument ${i + 1} of ${name}() must be between ${low} and ${high}`,
          nameToken,
        );
      }
    }
    return { kind: 'call', name, args, star };
  }
}

function containsAggregate(expression: Expression): boolean {
  let found = false;
  visitExpression(expression, e => {
    if (e.kind === 'call' && allowedFunction(e.name)?.aggregate) {
      found = true;
    }
  });
  return found;
}

/**
 * Calls `fn` for the expression and each of its sub-expressions.
 *
 * @public
 */
export function visitExpression(
  expression: Expression,
  fn: (e: Expression) => void,
): void {
  fn(expression);
  switch (expression.kind) {
    case 'not':
    case 'negate':
      visitExpression(expression.operand, fn);
      break;
    case 'logical':
    case 'compare':
    case 'arithmetic':
      visitExpression(expression.left, fn);
      visitExpression(expression.right, fn);
      break;
    case 'in':
      visitExpression(expression.operand, fn);
      expression.values.forEach(v => visitExpression(v, fn));
      break;
    case 'isNull':
    case 'like':
      visitExpression(expression.operand, fn);
      break;
    case 'between':
      visitExpression(expression.operand, fn);
      visitExpression(expression.low, fn);
      visitExpression(expression.high, fn);
      break;
    case 'call':
      expression.args.forEach(a => visitExpression(a, fn));
      break;
    default:
      break;
  }
}

/**
 * The column names an expression reads, in order of first use.
 *
 * @public
 */
export function expressionColumns(expression: Expression): string[] {
  const columns = new Set<string>();
  visitExpression(expression, e => {
    if (e.kind === 'column') {
      columns.add(e.name);
    }
  });
  return [...columns];
}

/**
 * Expressions already parsed, by context and text, frozen: validation, the
 * column rules and each generated file read the same conditions and metrics
 * again (about seven times per spec rendered).
 */
const parsed = new Map<string, Expression>();
/** Distinct expressions remembered, at most (the oldest goes first). */
const MAX_PARSED = 1000;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses a filter condition (`context: 'condition'`) or a metric expression
 * (`context: 'metric'`). A bare `count` metric means `count(*)`.
 * Throws {@link ExpressionError} with the 1-based position of the problem.
 * The tree returned is frozen (the same text gives the same tree).
 *
 * @public
 */
export function parseExpression(
  text: string,
  context: ExpressionContext,
): Expression {
  const key = `${context}:${text}`;
  let expression = parsed.get(key);
  if (expression === undefined) {
    expression = deepFreeze(parseUncached(text, context));
    if (parsed.size >= MAX_PARSED) {
      parsed.delete(parsed.keys().next().value!);
    }
    parsed.set(key, expression);
  }
  return expression;
}

function parseUncached(text: string, context: ExpressionContext): Expression {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      `expression longer than ${MAX_EXPRESSION_LENGTH} characters`,
      MAX_EXPRESSION_LENGTH + 1,
    );
  }
  if (text.trim() === '') {
    throw new ExpressionError('empty expression', 1);
  }
  if (context === 'metric' && /^\s*count\s*$/i.test(text)) {
    return { kind: 'call', name: 'count', args: [], star: true };
  }
  const expression = new Parser(tokenize(text), context).parse();
  if (context === 'metric' && !containsAggregate(expression)) {
    throw new ExpressionError(
      `a metric needs an aggregate function (${Object.keys(AGGREGATE_FUNCTIONS)
        .slice(0, 8)
        .join(', ')}, ...)`,
      1,
    );
  }
  return expression;
}
