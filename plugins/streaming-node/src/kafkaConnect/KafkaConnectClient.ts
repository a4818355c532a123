import { ResponseError } from '@backstage/errors';

/**
 * A connector's config as Kafka Connect stores it: every value a string.
 *
 * @public
 */
export type ConnectorConfig = Record<string, string>;

/**
 * One problem Kafka Connect's config validation found.
 *
 * @public
 */
export interface ConfigProblem {
  key: string;
  errors: string[];
}

/**
 * The calls of Kafka Connect's REST API the scaffolder needs. Requests carry
 * the cluster's credentials from app-config; errors carry the status and
 * Connect's message, never a request body. A 409 (the workers are
 * rebalancing, for example just after a connector was created) is retried
 * with backoff for up to `rebalanceTimeoutMs`.
 *
 * @public
 */
export class KafkaConnectClient {
  constructor(
    private readonly options: {
      url: string;
      authorization?: string;
      timeoutMs: number;
      rebalanceTimeoutMs: number;
    },
  ) {}

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response> {
    const deadline = Date.now() + this.options.rebalanceTimeoutMs;
    for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2000)) {
      const response = await this.requestOnce(method, path, body);
      if (response.status !== 409 || Date.now() + delayMs > deadline) {
        return response;
      }
      await response.body?.cancel();
      await new Promise(resolve => setTimeout(resolve, delayMs));
    }
  }

  private async requestOnce(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response> {
    const response = await fetch(`${this.options.url}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(this.options.authorization
          ? { Authorization: this.options.authorization }
          : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    return response;
  }

  private async json<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await this.request(method, path, body);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  /** The connector's stored config, or undefined when there is no such connector. */
  async getConfig(name: string): Promise<ConnectorConfig | undefined> {
    const response = await this.request(
      'GET',
      `/connectors/${encodeURIComponent(name)}/config`,
    );
    if (response.status === 404) return undefined;
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as ConnectorConfig;
  }

  /** Connect's validation of a connector's config for its class; an empty list when valid. */
  async validate(
    name: string,
    config: ConnectorConfig,
  ): Promise<ConfigProblem[]> {
    const plugin = config['connector.class'].split('.').pop()!;
    const result = await this.json<{
      error_count: number;
      configs: { value: { name: string; errors: string[] } | null }[];
    }>(
      'PUT',
      `/connector-plugins/${encodeURIComponent(plugin)}/config/validate`,
      { ...config, name },
    );
    return result.configs.flatMap(({ value }) =>
      value && value.errors.length > 0
        ? [{ key: value.name, errors: value.errors }]
        : [],
    );
  }

  /** Creates the connector with the config (PUT creates or updates). */
  async putConfig(name: string, config: ConnectorConfig): Promise<void> {
    await this.json(
      'PUT',
      `/connectors/${encodeURIComponent(name)}/config`,
      config,
    );
  }
}
