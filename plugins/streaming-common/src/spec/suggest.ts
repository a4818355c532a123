/**
 * Edit distance between two strings (Levenshtein, case-insensitive).
 */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[y.length];
}

/**
 * The candidate closest to `input`, when it is close enough to be a likely
 * typo (at most a third of its length, and at most 3 edits).
 */
export function suggest(
  input: string,
  candidates: readonly string[],
): string | undefined {
  if (input.length > 64) {
    return undefined;
  }
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.min(3, Math.max(1, Math.floor((best?.length ?? 0) / 3)));
  return bestDistance > 0 && bestDistance <= limit ? best : undefined;
}
