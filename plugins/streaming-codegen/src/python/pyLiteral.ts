/**
 * A Python string literal for any text: double-quoted, pure ASCII, every
 * quote, backslash, control, non-ASCII and bidi character escaped. Text that
 * goes through here stays data; it cannot end the literal or change how the
 * code around it reads.
 *
 * @public
 */
export function pyStr(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') {
      out += `\\${ch}`;
    } else if (code >= 0x20 && code < 0x7f) {
      out += ch;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (code < 0x100) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else if (code < 0x10000) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      out += `\\U${code.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}

/** A JSON-like value the generator embeds in Python code. */
export type PyValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | PyValue[]
  | { [key: string]: PyValue };

/**
 * A Python literal for a JSON-like value (`None`, `True`, numbers, strings
 * through {@link pyStr}, lists, dicts with string keys).
 *
 * @public
 */
export function pyValue(value: PyValue): string {
  if (value === null || value === undefined) {
    return 'None';
  }
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new Error(`cannot write ${value} as a Python literal`);
    }
    return String(value);
  }
  if (typeof value === 'string') {
    return pyStr(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(pyValue).join(', ')}]`;
  }
  return `{${Object.entries(value)
    .map(([k, v]) => `${pyStr(k)}: ${pyValue(v)}`)
    .join(', ')}}`;
}
