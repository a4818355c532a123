import { stringify } from 'yaml';

const OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/**
 * Each scalar as the `yaml` library writes it, by position: a map key (at
 * the top level, where `---` would start a document, or nested), a map value
 * or a sequence item, as quoting rules differ. Block scalars keep their
 * lines; the caller indents them. The library decides every representation,
 * once per distinct scalar: generated files repeat most of theirs.
 */
const scalars = {
  topKey: new Map<unknown, string | null>(),
  key: new Map<unknown, string | null>(),
  value: new Map<unknown, string | null>(),
  item: new Map<unknown, string | null>(),
};
/** Distinct scalars remembered per position, at most. */
const MAX_SCALARS = 50_000;

/**
 * A key the library writes in the explicit `? key` form, or on several
 * lines; or a value that is not JSON data.
 */
class NotSimple extends Error {}

function represent(position: keyof typeof scalars, value: unknown): string {
  switch (position) {
    case 'topKey': // "<key>: 0\n"
      return stringify({ [value as string]: 0 }, OPTIONS).slice(0, -4);
    case 'key': // "a:\n  <key>: 0\n"
      return stringify({ a: { [value as string]: 0 } }, OPTIONS).slice(5, -4);
    case 'value': // "a: <value>\n"
      return stringify({ a: value }, OPTIONS).slice(3, -1);
    default: // "- <item>\n"
      return stringify([value], OPTIONS).slice(2, -1);
  }
}

/**
 * Strings the library writes as they are in every position: a letter or `_`
 * first, then letters, digits, `_./-` and inner spaces, short enough for an
 * implicit key, and not a word the core schema reads as null or a boolean.
 * Most generated scalars are such names; they need neither the library nor
 * the memo.
 */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./ -]*$/;
/** Longest such string written as it is (the library's implicit keys end at 1,024). */
const MAX_PLAIN = 1001;
const CORE_WORD = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;

/** Whether the library writes a string as it is (see {@link PLAIN}). */
function isPlain(value: string): boolean {
  const length = value.length;
  return (
    length <= MAX_PLAIN &&
    PLAIN.test(value) &&
    value.charCodeAt(length - 1) !== 32 &&
    // The core schema's words are at most five characters long.
    (length > 5 || !CORE_WORD.test(value))
  );
}

/**
 * Strings the library writes as they are as a map value or a sequence item,
 * where it allows more than in a key: one line of printable ASCII that
 * starts with a letter, `_`, `/` or `(` (so it is never a number, an
 * indicator or a document marker), holds no `: ` or ` #`, ends in neither a
 * space nor `:`, and is not a core schema word. Generated alert expressions,
 * images and paths are such strings, and most are new in each pipeline.
 */
const PLAIN_VALUE = /^[A-Za-z_/(][\x20-\x7e]*$/;
const NOT_PLAIN_VALUE = /: | #|[ :]$/;

/** Whether the library writes a value or an item as it is (see {@link PLAIN_VALUE}). */
function isPlainValue(value: string): boolean {
  return (
    PLAIN_VALUE.test(value) &&
    !NOT_PLAIN_VALUE.test(value) &&
    (value.length > 5 || !CORE_WORD.test(value))
  );
}

function scalar(position: keyof typeof scalars, value: unknown): string {
  if (
    typeof value === 'string' &&
    (isPlain(value) ||
      ((position === 'value' || position === 'item') && isPlainValue(value)))
  ) {
    return value;
  }
  const memo = scalars[position];
  let text = memo.get(value);
  if (text === undefined) {
    text = represent(position, value);
    if (
      (position === 'key' || position === 'topKey') &&
      (text.includes('\n') || text.startsWith('? '))
    ) {
      text = null;
    }
    if (memo.size >= MAX_SCALARS) memo.clear();
    memo.set(value, text);
  }
  if (text === null) throw new NotSimple();
  return text;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A block scalar's further lines, indented to where it stands. */
function indented(text: string, indent: string): string {
  // Empty lines stay empty.
  return indent && text.includes('\n')
    ? text.replace(/\n(?=[^\n])/g, `\n${indent}`)
    : text;
}

/** How an empty map or sequence is written. */
const emptyText = (v: unknown) => (Array.isArray(v) ? '[]' : '{}');

function isEmpty(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : isMap(v) && isEmptyMap(v);
}

function isEmptyMap(v: Record<string, unknown>): boolean {
  for (const key in v) {
    if (Object.hasOwn(v, key) && v[key] !== undefined) return false;
  }
  return true;
}

/** Deepest nesting the fast path writes; deeper goes to the library. */
const MAX_DEPTH = 100;

/**
 * Throws {@link NotSimple} unless the value is what the fast path writes:
 * JSON data, its maps plain objects or objects without a prototype (as zod
 * parses records; the library writes both from their own keys alike).
 */
function checkPlain(value: unknown, depth: number): void {
  if (typeof value === 'object' && value !== null) {
    const proto: unknown = Object.getPrototypeOf(value);
    if (
      depth <= MAX_DEPTH &&
      (Array.isArray(value) || proto === Object.prototype || proto === null)
    ) {
      return;
    }
  } else if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  ) {
    return;
  }
  throw new NotSimple();
}

/** The text written so far. */
interface Output {
  text: string;
}

/**
 * Writes a non-empty map or sequence at `indent`, `depth` levels down; `first`
 * is what precedes its first line (the indent, or the `- ` of an enclosing
 * item).
 */
function writeCollection(
  out: Output,
  value: Record<string, unknown> | unknown[],
  indent: string,
  first: string,
  depth: number,
): void {
  let lead = first;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    for (const raw of value) {
      const item = raw === undefined ? null : raw;
      checkPlain(item, depth + 1);
      if (typeof item !== 'object' || item === null) {
        out.text += `${lead}- ${indented(scalar('item', item), indent)}\n`;
      } else if (isEmpty(item)) {
        out.text += `${lead}- ${emptyText(item)}\n`;
      } else {
        writeCollection(
          out,
          item as Record<string, unknown> | unknown[],
          inner,
          `${lead}- `,
          depth + 1,
        );
      }
      lead = indent;
    }
    return;
  }
  const position = indent ? 'key' : 'topKey';
  for (const key of Object.keys(value)) {
    const child = value[key];
    if (child === undefined) continue;
    checkPlain(child, depth + 1);
    const k = isPlain(key) ? key : scalar(position, key);
    if (typeof child !== 'object' || child === null) {
      out.text += `${lead}${k}: ${indented(scalar('value', child), indent)}\n`;
    } else if (isEmpty(child)) {
      out.text += `${lead}${k}: ${emptyText(child)}\n`;
    } else {
      out.text += `${lead}${k}:\n`;
      writeCollection(
        out,
        child as Record<string, unknown> | unknown[],
        inner,
        inner,
        depth + 1,
      );
    }
    lead = indent;
  }
}

/**
 * Serializes an object to YAML. Every YAML file the generator writes goes
 * through here: documents are built as objects, never assembled from strings.
 *
 * The text is the `yaml` library's (`lineWidth: 0`, no aliases), byte for
 * byte: each scalar is written by the library and remembered; maps and
 * sequences of plain data are laid out here in its block style, which
 * renders a generated repository several times faster. Anything else goes
 * to the library whole.
 *
 * @public
 */
export function toYaml(value: unknown): string {
  if (typeof value !== 'object' || value === null || isEmpty(value)) {
    return stringify(value, OPTIONS);
  }
  const out: Output = { text: '' };
  try {
    checkPlain(value, 0);
    writeCollection(
      out,
      value as Record<string, unknown> | unknown[],
      '',
      '',
      0,
    );
  } catch (error) {
    if (error instanceof NotSimple) return stringify(value, OPTIONS);
    throw error;
  }
  return out.text;
}
