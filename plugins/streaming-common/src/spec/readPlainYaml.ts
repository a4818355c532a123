/**
 * A fast reader for the plain block YAML that specs are usually written in
 * (and that the `yaml` library writes): block maps and sequences, plain
 * keys, plain scalars (also folded over several lines) and one-line quoted
 * scalars, `[]` and `{}`, comment lines. It returns the value
 * `parseDocument(text, { schema: 'core', uniqueKeys: true, strict: true })`
 * followed by `toJS()` returns, or `undefined` for any text it does not
 * read: anything else (tags, anchors, flow collections, block scalars,
 * trailing comments, tabs, characters outside printable ASCII, several
 * documents, ...) and anything the library would report as an error
 * (duplicate keys, bad indentation). The caller then parses the text with
 * the library, which also gives every error's position; this reader never
 * decides that a text is invalid.
 */

/** Characters outside what this reader reads anywhere in the text. */
const OUTSIDE = /[^\n\x20-\x7e]/;
/** A plain key: a letter or `_` first, no `: `, ` #` or trailing space. */
const KEY = /^[A-Za-z_][A-Za-z0-9_ ().*/+,-]*$/;
/** Longest key read (the library's implicit keys end at 1,024 characters). */
const MAX_KEY = 200;
/** Core schema words: null and booleans. */
const NULL_WORD = /^(?:~|[Nn]ull|NULL)?$/;
const TRUE_WORD = /^(?:[Tt]rue|TRUE)$/;
const FALSE_WORD = /^(?:[Ff]alse|FALSE)$/;
/** Plain scalars the core schema reads as numbers (the reader reads only small decimal integers). */
const CORE_NUMBER =
  /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/;
const SMALL_INT = /^[0-9]{1,15}$/;
/** First characters of a plain scalar on a key's or item's line that the reader reads. */
const PLAIN_FIRST = /^[A-Za-z0-9_.(/$=<+~]/;
/** First characters of a plain scalar's further line that the reader does not read. */
const NOT_CONTINUATION = /^(?:[#&*!|>"%@`[\]{},?:]|-(?: |$)|---|\.\.\.)/;

/** Thrown when the text is not read here (one object: no stack to capture). */
const DECLINED = Symbol('declined');

function decline(): never {
  throw DECLINED;
}

/** The core schema's value of a plain scalar. */
function plainValue(text: string): unknown {
  if (NULL_WORD.test(text)) return null;
  if (TRUE_WORD.test(text)) return true;
  if (FALSE_WORD.test(text)) return false;
  if (CORE_NUMBER.test(text)) {
    if (SMALL_INT.test(text)) return Number(text);
    decline();
  }
  return text;
}

const ESCAPES: Record<string, string> = {
  '\\': '\\',
  '"': '"',
  '/': '/',
  n: '\n',
  t: '\t',
};

/** A double-quoted scalar's value, from after its opening quote to before its closing one. */
function doubleQuoted(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === undefined || !Object.hasOwn(ESCAPES, next)) decline();
    out += ESCAPES[next];
  }
  return out;
}

class Reader {
  private readonly lines: string[];
  /** The current line. */
  private i = 0;

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  /** Indent of line `i`, or -1 when it is blank or a comment line. */
  private indentOf(i: number): number {
    const line = this.lines[i];
    let n = 0;
    while (line.charCodeAt(n) === 32) n++;
    if (n === line.length || line.charCodeAt(n) === 35 /* # */) return -1;
    return n;
  }

  /** Moves to the next line with content; its indent, or -1 at the end. */
  private nextContent(): number {
    while (this.i < this.lines.length) {
      const indent = this.indentOf(this.i);
      if (indent >= 0) return indent;
      this.i++;
    }
    return -1;
  }

  read(): unknown {
    if (this.nextContent() !== 0) decline();
    if (this.isItem(this.lines[this.i], 0)) decline();
    const value = this.map(0);
    if (this.nextContent() !== -1) decline();
    return value;
  }

  private isItem(line: string, indent: number): boolean {
    return (
      line.charCodeAt(indent) === 45 /* - */ &&
      (line.length === indent + 1 || line.charCodeAt(indent + 1) === 32)
    );
  }

  /** A block map whose keys start at column `col`, from the current line. */
  private map(col: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const indent = this.nextContent();
      if (indent < col) return out;
      if (indent > col) decline();
      const line = this.lines[this.i];
      const colon = line.indexOf(':', col);
      if (colon < 0) decline();
      const key = line.slice(col, colon);
      if (
        key.length > MAX_KEY ||
        !KEY.test(key) ||
        key.endsWith(' ') ||
        key.includes(' #') ||
        key === '__proto__' ||
        NULL_WORD.test(key) ||
        TRUE_WORD.test(key) ||
        FALSE_WORD.test(key) ||
        Object.hasOwn(out, key)
      ) {
        decline();
      }
      let start = colon + 1;
      if (start < line.length && line.charCodeAt(start) !== 32) decline();
      while (line.charCodeAt(start) === 32) start++;
      if (start < line.length) {
        out[key] = this.inline(line.slice(start).trimEnd(), col);
        continue;
      }
      this.i++;
      const next = this.nextContent();
      if (next > col) {
        out[key] = this.isItem(this.lines[this.i], next)
          ? this.seq(next)
          : this.map(next);
      } else if (next === col && this.isItem(this.lines[this.i], next)) {
        out[key] = this.seq(next);
      } else {
        out[key] = null;
      }
    }
  }

  /** A block sequence whose `-` stand at column `col`, from the current line. */
  private seq(col: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const indent = this.nextContent();
      if (indent < col) return out;
      if (indent > col) decline();
      const line = this.lines[this.i];
      if (!this.isItem(line, col)) return out;
      let start = col + 1;
      while (line.charCodeAt(start) === 32) start++;
      if (start >= line.length) decline();
      const rest = line.slice(start).trimEnd();
      if (/^[A-Za-z_]/.test(rest) && /:(?: |$)/.test(rest)) {
        // `- key: value`: a map whose keys start where this one does.
        this.lines[this.i] = ' '.repeat(start) + line.slice(start);
        out.push(this.map(start));
      } else {
        out.push(this.inline(rest, col));
      }
    }
  }

  /**
   * The scalar (or `[]`, `{}`) that starts a key's or item's line, and its
   * further lines (indented deeper than `col`) when it is plain; moves past
   * them.
   */
  private inline(text: string, col: number): unknown {
    const first = text[0];
    if (first === '"' || first === "'") {
      this.i++;
      const end = text.length - 1;
      if (end < 1 || text[end] !== first) decline();
      const body = text.slice(1, end);
      if (first === '"') {
        if (/"/.test(body.replace(/\\./g, ''))) decline();
        if (/\\$/.test(body.replace(/\\\\/g, ''))) decline();
        return doubleQuoted(body);
      }
      if (/'/.test(body.replace(/''/g, ''))) decline();
      return body.replace(/''/g, "'");
    }
    if (text === '[]' || text === '{}') {
      this.i++;
      return text === '[]' ? [] : {};
    }
    if (!PLAIN_FIRST.test(text)) decline();
    let value = text;
    this.checkPlainLine(value);
    this.i++;
    // Further lines: folded into one line, blank lines kept as newlines.
    let blanks = 0;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      let n = 0;
      while (line.charCodeAt(n) === 32) n++;
      if (n === line.length) {
        blanks++;
        this.i++;
        continue;
      }
      if (n <= col || line.charCodeAt(n) === 35 /* # */) break;
      const part = line.slice(n).trimEnd();
      if (NOT_CONTINUATION.test(part)) decline();
      this.checkPlainLine(part);
      value += blanks > 0 ? '\n'.repeat(blanks) : ' ';
      value += part;
      blanks = 0;
      this.i++;
    }
    return plainValue(value);
  }

  /** Throws unless a line of a plain scalar has no `: `, ` #` or final `:`. */
  private checkPlainLine(text: string): void {
    if (text.includes(': ') || text.includes(' #') || text.endsWith(':')) {
      decline();
    }
  }
}

/**
 * The value of a YAML text in plain block style, as the `yaml` library reads
 * it with the core schema; `undefined` when the text is not in that style
 * or not valid (the library then reads it and reports errors).
 */
export function readPlainYaml(text: string): unknown {
  if (OUTSIDE.test(text)) return undefined;
  try {
    return new Reader(text).read();
  } catch (error) {
    if (error === DECLINED) return undefined;
    throw error;
  }
}
