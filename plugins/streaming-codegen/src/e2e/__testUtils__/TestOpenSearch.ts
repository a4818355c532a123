import { runRepoScript } from '@internal/plugin-streaming-node/testUtils';

/**
 * The real local OpenSearch (`scripts/opensearch.sh start`, idempotent), the
 * Elasticsearch-compatible search sink, with the REST calls the tests need.
 */
export class TestOpenSearch {
  static async start(): Promise<TestOpenSearch> {
    await runRepoScript('opensearch.sh', ['start']);
    return new TestOpenSearch(await runRepoScript('opensearch.sh', ['url']));
  }

  private constructor(readonly url: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  /** The index's documents after a refresh (every write so far is visible). */
  async documents(
    index: string,
  ): Promise<{ _id: string; _source: Record<string, unknown> }[]> {
    await this.request('POST', `/${index}/_refresh`);
    const { count } = await this.request<{ count: number }>(
      'GET',
      `/${index}/_count`,
    );
    const result = await this.request<{
      hits: { hits: { _id: string; _source: Record<string, unknown> }[] };
    }>('POST', `/${index}/_search`, {
      size: Math.max(count, 1),
      query: { match_all: {} },
    });
    return result.hits.hits;
  }

  async deleteIndex(index: string): Promise<void> {
    await this.request('DELETE', `/${index}`).catch(error => {
      if (!String(error.message).includes(' 404 ')) throw error;
    });
  }
}
