/**
 * One JSON request to a local service's REST API (Kafka Connect, OpenSearch):
 * `body` sent as JSON, the answer parsed (undefined when empty). A status other
 * than 2xx fails with the method, path, status and the answer's text.
 *
 * @public
 */
export async function requestJson<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
