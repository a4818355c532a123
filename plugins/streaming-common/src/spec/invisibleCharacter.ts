/**
 * The first character of `text` that is invisible or changes how the text
 * around it reads: C0/C1 controls (newlines and tabs allowed when
 * `multiline`), bidirectional controls and other format characters (zero
 * width spaces and joiners, the byte order mark, soft hyphens).
 */
export function invisibleCharacter(
  text: string,
  multiline: boolean,
): { name: string; position: number } | undefined {
  let position = 0;
  for (const ch of text) {
    position++;
    if (multiline && (ch === '\n' || ch === '\t')) {
      continue;
    }
    if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u.test(ch)) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase();
      return { name: `U+${code.padStart(4, '0')}`, position };
    }
  }
  return undefined;
}
