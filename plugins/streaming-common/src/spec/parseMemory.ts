/**
 * Spark's memory strings: `512m`, `4g`, `2G`, `1t`, `4096mb`.
 *
 * @public
 */
export const MEMORY_PATTERN = /^([1-9]\d{0,6})([kKmMgGtT])[bB]?$/;

const FACTOR_GB: Record<string, number> = {
  k: 1 / (1024 * 1024),
  m: 1 / 1024,
  g: 1,
  t: 1024,
};

/**
 * A memory string in gigabytes (GiB); undefined when it is not one.
 *
 * @public
 */
export function parseMemoryGb(text: string): number | undefined {
  const match = MEMORY_PATTERN.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const gb = Number(match[1]) * FACTOR_GB[match[2].toLowerCase()];
  return Math.round(gb * 1000) / 1000;
}

/**
 * The memory string in Spark's own form (`4g`, `512m`).
 *
 * @public
 */
export function normalizeMemory(text: string): string {
  const match = MEMORY_PATTERN.exec(text.trim());
  return match ? `${match[1]}${match[2].toLowerCase()}` : text;
}
