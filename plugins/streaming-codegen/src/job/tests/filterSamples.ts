import {
  Expression,
  expressionColumns,
} from '@internal/plugin-streaming-common';
import {
  NotEvaluable,
  SampleValue,
  evaluateCondition,
} from './evaluateCondition';

/** Sample rows for a filter and whether the spec's condition keeps each. */
export interface FilterSamples {
  /** Values of the columns the condition names; a column left out keeps its sample value (not null). */
  rows: Array<Record<string, SampleValue>>;
  keep: boolean[];
  /** The kind of value each column is given: "string", "integer", "number" or "boolean". */
  kinds: Record<string, string>;
}

const MAX_ROWS = 40;

/** A value of the row that is not null but whose type is not known here. */
const SAMPLE = Symbol('sample');

/** A value of each kind that none of a condition's literals is likely to be. */
const OTHER: Record<string, SampleValue> = {
  string: 'zz-none-of-them',
  number: 987654,
};

function literalsByColumn(
  expression: Expression,
  into: Map<string, SampleValue[]>,
): void {
  const literal = (x: Expression): SampleValue | undefined => {
    if (x.kind === 'string' || x.kind === 'boolean') return x.value;
    if (x.kind === 'number') return Number(x.text);
    if (x.kind === 'negate' && x.operand.kind === 'number') {
      return -Number(x.operand.text);
    }
    return undefined;
  };
  const add = (column: Expression, values: SampleValue[]) => {
    if (column.kind !== 'column') return;
    const list = into.get(column.name) ?? [];
    list.push(...values);
    into.set(column.name, list);
  };
  const near = (v: SampleValue): SampleValue[] =>
    typeof v === 'number' ? [v, v - 1, v + 1] : [v];
  switch (expression.kind) {
    case 'compare': {
      const l = literal(expression.right);
      const r = literal(expression.left);
      if (l !== undefined) add(expression.left, near(l));
      if (r !== undefined) add(expression.right, near(r));
      break;
    }
    case 'in':
      add(
        expression.operand,
        expression.values
          .map(literal)
          .filter((v): v is SampleValue => v !== undefined),
      );
      break;
    case 'like':
      add(expression.operand, [
        expression.pattern.replace(/%/g, 'x').replace(/_/g, 'y'),
        '~',
      ]);
      break;
    case 'between':
      for (const bound of [expression.low, expression.high]) {
        const v = literal(bound);
        if (v !== undefined) add(expression.operand, near(v));
      }
      break;
    default:
      break;
  }
  for (const child of Object.values(expression)) {
    if (child && typeof child === 'object') {
      for (const x of Array.isArray(child) ? child : [child]) {
        if (x && typeof x === 'object' && 'kind' in x) {
          literalsByColumn(x as Expression, into);
        }
      }
    }
  }
}

/** Whether every use of the column is `column IS [NOT] NULL`. */
function onlyNullChecked(expression: Expression, name: string): boolean {
  if (expression.kind === 'column') return expression.name !== name;
  if (expression.kind === 'isNull' && expression.operand.kind === 'column') {
    return true;
  }
  return Object.values(expression).every(child => {
    const list = Array.isArray(child) ? child : [child];
    return list.every(x =>
      x && typeof x === 'object' && 'kind' in x
        ? onlyNullChecked(x as Expression, name)
        : true,
    );
  });
}

/**
 * Rows that exercise a filter condition: each column it names takes the
 * literals it is compared with (numbers also one below and above), a value
 * that matches none of them, and null; one column varies at a time. Whether
 * each row is kept comes from {@link evaluateCondition}. Undefined when the
 * condition is outside what the evaluator models (function calls, a column
 * compared with literals of different kinds or with another column).
 */
export function filterSamples(
  condition: Expression,
): FilterSamples | undefined {
  const literals = new Map<string, SampleValue[]>();
  literalsByColumn(condition, literals);
  const candidates = new Map<string, Array<SampleValue | typeof SAMPLE>>();
  const kinds: Record<string, string> = {};
  for (const name of expressionColumns(condition)) {
    if (name.includes('.')) return undefined;
    const values = [...new Set(literals.get(name) ?? [])];
    const types = new Set(values.map(v => typeof v));
    if (types.size > 1) return undefined;
    if (values.length === 0) {
      if (!onlyNullChecked(condition, name)) return undefined;
      candidates.set(name, [SAMPLE, null]);
      continue;
    }
    const kind = [...types][0];
    kinds[name] =
      kind === 'number' && values.every(v => Number.isInteger(v))
        ? 'integer'
        : kind;
    const other = OTHER[kind];
    candidates.set(name, [
      ...values,
      ...(other !== undefined && !values.includes(other) ? [other] : []),
      null,
    ]);
  }
  const names = [...candidates.keys()];
  const base = Object.fromEntries(names.map(n => [n, candidates.get(n)![0]]));
  const variants = [base];
  for (const name of names) {
    for (const value of candidates.get(name)!.slice(1)) {
      variants.push({ ...base, [name]: value });
    }
  }
  const chosen = variants.slice(0, MAX_ROWS);
  const rows = chosen.map(
    variant =>
      Object.fromEntries(
        Object.entries(variant).filter(([, v]) => v !== SAMPLE),
      ) as Record<string, SampleValue>,
  );
  try {
    const keep = chosen.map(variant => {
      // A sample value is some non-null value: only IS NULL looks at it.
      const row = Object.fromEntries(
        Object.entries(variant).map(([k, v]) => [
          k,
          v === SAMPLE ? '\u0000sample' : v,
        ]),
      ) as Record<string, SampleValue>;
      return evaluateCondition(condition, row) === true;
    });
    return { rows, keep, kinds };
  } catch (error) {
    if (error instanceof NotEvaluable) return undefined;
    throw error;
  }
}
