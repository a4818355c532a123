import { ResponseError } from '@backstage/errors';
import { z } from 'zod';

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
 * A connector as Kafka Connect describes it (its `info`). Its
 * config is as stored, passwords included: read only the keys you need.
 *
 * @public
 */
export interface ConnectorInfo {
  name: string;
  /** `source` or `sink`; `unknown` while Connect cannot load its class. */
  type: 'source' | 'sink' | 'unknown';
  config: ConnectorConfig;
}

const stateSchema = z.object({
  state: z.string(),
  worker_id: z.string().optional(),
  trace: z.string().optional(),
});

const connectorInfoSchema = z.object({
  type: z.string().optional(),
  config: z.record(z.string(), z.string()),
});

/** `GET /connectors?expand=info&expand=status`: name -> info and status. */
const connectorStatusListSchema = z.record(
  z.string(),
  z.object({
    info: connectorInfoSchema,
    status: z.object({
      connector: stateSchema,
      tasks: z.array(stateSchema.extend({ id: z.number().int() })),
    }),
  }),
);

/** `GET /connectors/{name}/topics`: name -> its active topics. */
const connectorTopicsSchema = z.record(
  z.string(),
  z.object({ topics: z.array(z.string()) }),
);

const connectorType = (type?: string): ConnectorInfo['type'] =>
  type === 'source' || type === 'sink' ? type : 'unknown';

/**
 * The state of a connector or of one of its tasks as Kafka Connect reports
 * it: `RUNNING`, `PAUSED`, `STOPPED`, `FAILED`, `UNASSIGNED` or `RESTARTING`;
 * a trace (a Java stack trace) only when `FAILED`.
 *
 * @public
 */
export interface ConnectorStateInfo {
  state: string;
  workerId?: string;
  trace?: string;
}

/**
 * A connector with the state of it and its tasks.
 *
 * @public
 */
export interface ConnectorStatusInfo extends ConnectorInfo {
  connector: ConnectorStateInfo;
  tasks: Array<ConnectorStateInfo & { id: number }>;
}

const stateInfo = (s: z.infer<typeof stateSchema>): ConnectorStateInfo => ({
  state: s.state,
  ...(s.worker_id !== undefined ? { workerId: s.worker_id } : {}),
  ...(s.trace !== undefined ? { trace: s.trace } : {}),
});

/**
 * Whether Connect answered that its workers are rebalancing: 409, or 500 with
 * its RebalanceNeededException's message (a worker that has just stored a
 * new connector's config answers so until it has rejoined its group). The
 * response's body stays unread.
 */
async function isRebalancing(response: Response): Promise<boolean> {
  if (response.status === 409) return true;
  if (response.status !== 500) return false;
  const text = await response
    .clone()
    .text()
    .catch(() => '');
  return text.includes('a rebalance is expected');
}

/**
 * The calls of Kafka Connect's REST API the scaffolder and the catalog need. Requests carry
 * the cluster's credentials from app-config; errors carry the status and
 * Connect's message, never a request body. An answer that the workers are
 * rebalancing (409, or 500 "a rebalance is expected"; for example just after
 * a connector was created) is retried with backoff for up to
 * `rebalanceTimeoutMs`.
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

  /** The REST API's base URL (no credentials: app-config keeps them apart). */
  get url(): string {
    return this.options.url;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response> {
    const deadline = Date.now() + this.options.rebalanceTimeoutMs;
    for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2000)) {
      const response = await this.requestOnce(method, path, body);
      if (!(await isRebalancing(response)) || Date.now() + delayMs > deadline) {
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

  /**
   * The topics the connector has written (a source) or read (a sink) since
   * they were last reset: Connect's topic tracking (`topic.tracking.enable`,
   * on by default; a 403 when a worker turned it off).
   */
  async connectorTopics(name: string): Promise<string[]> {
    const answer = connectorTopicsSchema.parse(
      await this.json('GET', `/connectors/${encodeURIComponent(name)}/topics`),
    );
    return answer[name]?.topics ?? [];
  }

  /** Creates the connector with the config (PUT creates or updates). */
  async putConfig(name: string, config: ConnectorConfig): Promise<void> {
    await this.json(
      'PUT',
      `/connectors/${encodeURIComponent(name)}/config`,
      config,
    );
  }

  /**
   * Every connector of the cluster with its type, config and the state of it
   * and its tasks, in name order, in one request
   * (`GET /connectors?expand=info&expand=status`).
   */
  async listConnectors(): Promise<ConnectorStatusInfo[]> {
    const answer = connectorStatusListSchema.parse(
      await this.json('GET', '/connectors?expand=info&expand=status'),
    );
    return Object.entries(answer)
      .map(([name, { info, status }]) => ({
        name,
        type: connectorType(info.type),
        config: info.config,
        connector: stateInfo(status.connector),
        tasks: status.tasks.map(t => ({ id: t.id, ...stateInfo(t) })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
