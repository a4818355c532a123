/**
 * Builders for generated Markdown. Every piece of text that comes from a spec
 * goes through {@link md} (prose), {@link code} (an inline value) or
 * {@link shellWord} (a value in a command). The first two turn every character other than a letter, a
 * digit, a space and `.,;?-` into a numeric character reference. Markdown, its
 * extensions (critic marks, snippets, emoji, smart symbols, tables) and HTML
 * all leave character references alone, so user text is shown exactly and
 * never interpreted.
 */

/** C0/C1 controls (but newlines) and bidirectional overrides: never shown. */
function isInvisible(cp: number): boolean {
  return (
    (cp < 0x20 && cp !== 0x0a && cp !== 0x0d) ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x200e ||
    cp === 0x200f ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069)
  );
}
/** Every character other than a letter, a digit, a space and `.,;?-`. */
const UNSAFE = /[^\p{L}\p{N} .,;?-]/u;
/** Text made only of safe ASCII characters: shown as it is. */
const SAFE_ASCII = /^[A-Za-z0-9 .,;?-]*$/;

/** A character as it is shown: itself when safe, else a reference, a space or nothing. */
function shown(ch: string): string {
  if (!UNSAFE.test(ch)) {
    return ch;
  }
  const cp = ch.codePointAt(0)!;
  if (isInvisible(cp)) {
    return '';
  }
  return ch === '\n' || ch === '\r' ? ' ' : `&#${cp};`;
}

/** How each ASCII character is shown, worked out once. */
const ASCII_SHOWN = Array.from({ length: 0x80 }, (_, c) =>
  shown(String.fromCharCode(c)),
);

/** User text as inline prose: one line, shown as written. */
export function md(text: string | number): string {
  const value = String(text);
  if (SAFE_ASCII.test(value)) {
    return value;
  }
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) {
      out += ASCII_SHOWN[c];
    } else {
      // A whole code point: both halves of a surrogate pair.
      const ch = String.fromCodePoint(value.codePointAt(i)!);
      out += shown(ch);
      i += ch.length - 1;
    }
  }
  return out;
}

/** What `toLocaleString('en-US')` formats numbers with, made once. */
const EN_US = new Intl.NumberFormat('en-US');

/** A number with thousands separators, such as 10,000. */
export function num(value: number): string {
  return md(EN_US.format(value));
}

/** A value (a topic, a path, a column) as inline code. */
export function code(text: string | number): string {
  return `<code>${md(text)}</code>`;
}

const SHELL_WORD = /^[A-Za-z0-9._~=+@:/-]+$/;

/**
 * A value from the spec inside a shell command of the docs. Spec validation
 * only lets such values (names, topics, paths) consist of these characters
 * and never start with "-" (a command would read the value as an option);
 * anything else is refused here rather than shown in a command someone may
 * paste into a shell.
 */
export function shellWord(value: string): string {
  if (!SHELL_WORD.test(value) || value.startsWith('-')) {
    throw new Error(`not a safe shell word: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Shell commands as a code block inside a list item. Values from the spec
 * must come through {@link shellWord}.
 */
export function commands(lines: string[]): string {
  return codeBlock('sh', lines);
}

/** A code block inside a list item; values from the spec must be quoted for its language. */
export function codeBlock(language: string, lines: string[]): string {
  return [`\`\`\`${language}`, ...lines, '```']
    .map(line => (line ? `    ${line}` : ''))
    .join('\n');
}

/** A Markdown table; cells are Markdown already (use {@link md}/{@link code}). */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join(
    '\n',
  );
}
