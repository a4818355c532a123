import { requestJson } from './requestJson';
import { runRepoScript } from './runRepoScript';

/**
 * The real local OpenSearch (`scripts/opensearch.sh start`, idempotent), the
 * Elasticsearch-compatible search sink, with the REST calls the tests need.
 *
 * @public
 */
export class TestOpenSearch {
  static async start(): Promise<TestOpenSearch> {
    await runRepoScript('opensearch.sh', ['start']);
    return new TestOpenSearch(await runRepoScript('opensearch.sh', ['url']));
  }

  private constructor(readonly url: string) {}

  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.url, method, path, body);
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
