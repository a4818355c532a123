/**
 * What rendering needs of a `.proto`: its messages by their name within the
 * file (`Order`, `Order.Line` for a nested one), in declaration order (the
 * first is the one the job reads unless the spec names another), and the
 * files it imports. A light reading of the text: comments and strings are
 * skipped, braces are counted; protoc reads it in full when the job image is
 * built.
 */
export function protoMessages(text: string): {
  messages: string[];
  imports: string[];
} {
  const imports = [
    ...text.matchAll(/^\s*import\s+(?:public\s+|weak\s+)?"([^"]*)"/gm),
  ].map(m => m[1]);
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const messages: string[] = [];
  // The name of each open brace's message, or undefined for other blocks.
  const scopes: (string | undefined)[] = [];
  for (const token of code.matchAll(/\bmessage\s+([A-Za-z_]\w*)\s*\{|[{}]/g)) {
    if (token[0] === '}') {
      scopes.pop();
    } else if (token[1]) {
      const outer = scopes.filter((s): s is string => s !== undefined);
      const name = [...outer, token[1]].join('.');
      messages.push(name);
      scopes.push(token[1]);
    } else {
      scopes.push(undefined);
    }
  }
  return { messages, imports };
}
