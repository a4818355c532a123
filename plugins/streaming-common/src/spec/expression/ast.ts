/**
 * The syntax tree of a filter condition or metric expression. Generators
 * turn it into code of their target (PySpark Column API calls); nothing of
 * the original text is ever pasted into code.
 *
 * @public
 */
export type Expression =
  | { kind: 'column'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'not'; operand: Expression }
  | { kind: 'negate'; operand: Expression }
  | {
      kind: 'logical';
      op: 'AND' | 'OR';
      left: Expression;
      right: Expression;
    }
  | {
      kind: 'compare';
      op: '=' | '!=' | '<' | '<=' | '>' | '>=';
      left: Expression;
      right: Expression;
    }
  | {
      kind: 'arithmetic';
      op: '+' | '-' | '*' | '/' | '%';
      left: Expression;
      right: Expression;
    }
  | { kind: 'in'; operand: Expression; values: Expression[]; negated: boolean }
  | { kind: 'isNull'; operand: Expression; negated: boolean }
  | { kind: 'like'; operand: Expression; pattern: string; negated: boolean }
  | {
      kind: 'between';
      operand: Expression;
      low: Expression;
      high: Expression;
      negated: boolean;
    }
  | { kind: 'call'; name: string; args: Expression[]; star: boolean };

/**
 * Where an expression is used: a filter condition may not aggregate; a
 * metric must aggregate and reads columns only inside aggregate functions.
 *
 * @public
 */
export type ExpressionContext = 'condition' | 'metric';
