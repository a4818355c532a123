export type { Expression, ExpressionContext } from './ast';
export { ExpressionError } from './ExpressionError';
export type { AllowedFunction } from './functions';
export {
  AGGREGATE_FUNCTIONS,
  SCALAR_FUNCTIONS,
  allowedFunction,
} from './functions';
export {
  parseExpression,
  expressionColumns,
  visitExpression,
  MAX_EXPRESSION_LENGTH,
} from './parseExpression';
export type { Token, TokenKind } from './tokenize';
export { tokenize } from './tokenize';
