/**
 * The URL when it is an absolute http(s) URL, else undefined: links taken
 * from the catalog or the backend never become `javascript:` or other schemes.
 */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) {
    return undefined;
  }
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
      ? parsed.toString()
      : undefined;
  } catch {
    return undefined;
  }
}
