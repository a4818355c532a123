/**
 * A syntax or grammar error in an expression, with its 1-based position.
 *
 * @public
 */
export class ExpressionError extends Error {
  readonly position: number;
  readonly suggestion?: string;

  constructor(message: string, position: number, suggestion?: string) {
    super(message);
    this.name = 'ExpressionError';
    this.position = position;
    this.suggestion = suggestion;
  }
}
