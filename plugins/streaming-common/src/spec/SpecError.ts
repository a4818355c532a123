/**
 * One problem found in a pipeline spec.
 *
 * @public
 */
export interface SpecError {
  /** Where: `pipeline.transformations[2].window`; empty for the document itself. */
  path: string;
  /** What was expected or what is wrong. */
  message: string;
  /** A likely intended value ("did you mean ..."). */
  suggestion?: string;
  /** 1-based line and column in the YAML text, when the spec came from text. */
  line?: number;
  column?: number;
}

/**
 * The result of validating a spec: the typed spec when there is no error.
 *
 * @public
 */
export interface SpecValidationResult<T> {
  spec?: T;
  errors: SpecError[];
  warnings: SpecError[];
}

/**
 * What validation may know beyond the spec itself.
 *
 * @public
 */
export interface SpecValidationOptions {
  /**
   * Top-level field names of the schema file the spec names (see
   * `schemaFieldNames`), so columns are checked as with inline fields.
   */
  schemaFields?: string[];
}

/**
 * Formats a spec error on one line:
 * `pipeline.transformations[0].type: unknown "fliter"; did you mean "filter"?`
 * (the position, when known, is for the caller to prefix: `file:line:column`).
 *
 * @public
 */
export function formatSpecError(error: SpecError): string {
  const where = error.path || '(document)';
  const hint =
    error.suggestion !== undefined
      ? `; did you mean ${JSON.stringify(error.suggestion)}?`
      : '';
  return `${where}: ${error.message}${hint}`;
}

/** `['pipeline', 'transformations', 2, 'window']` -> `pipeline.transformations[2].window` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') {
      out += `[${part}]`;
    } else {
      const key = String(part);
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
        ? `${out ? '.' : ''}${key}`
        : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}
