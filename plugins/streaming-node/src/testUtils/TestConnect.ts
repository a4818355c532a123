import { requestJson } from './requestJson';
import { runRepoScript } from './runRepoScript';
import { StopWaiting, waitFor } from './waitFor';

/** A connector's state as Kafka Connect's REST API reports it. */
export interface ConnectorStatus {
  connector: { state: string; trace?: string };
  tasks: { id: number; state: string; trace?: string }[];
}

/**
 * The real local Kafka Connect worker with Debezium's PostgreSQL connector
 * (`scripts/connect.sh start`, idempotent) and the REST calls the tests need.
 */
export class TestConnect {
  static async start(): Promise<TestConnect> {
    await runRepoScript('connect.sh', ['start']);
    return new TestConnect(await runRepoScript('connect.sh', ['url']));
  }

  private constructor(readonly url: string) {}

  /** One REST call; a 409 (the workers are rebalancing) is retried for up to a minute. */
  private async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    let rebalancing: Error | undefined;
    const answer = await waitFor(
      `${method} ${path} outside a rebalance`,
      async () => {
        try {
          return { value: await requestJson<T>(this.url, method, path, body) };
        } catch (error) {
          if (!/: 409 /.test(String((error as Error).message))) {
            return { error: error as Error };
          }
          rebalancing = error as Error;
          return undefined;
        }
      },
      { timeoutMs: 60_000, intervalMs: 500, state: () => String(rebalancing) },
    );
    if ('error' in answer) throw answer.error;
    return answer.value;
  }

  /** Creates (or updates) the connector and waits until it and its tasks run. */
  async create(name: string, config: Record<string, string>): Promise<void> {
    await this.request('PUT', `/connectors/${name}/config`, config);
    await this.waitState(name, 'RUNNING');
  }

  /** The connector's stored config, or undefined when there is no such connector. */
  async config(name: string): Promise<Record<string, string> | undefined> {
    return this.request<Record<string, string>>(
      'GET',
      `/connectors/${name}/config`,
    ).catch(error => {
      if (/: 404 /.test(String(error.message))) return undefined;
      throw error;
    });
  }

  status(name: string): Promise<ConnectorStatus> {
    return this.request<ConnectorStatus>('GET', `/connectors/${name}/status`);
  }

  /** Waits until the connector and every task are in `state`; a FAILED task fails at once. */
  async waitState(name: string, state: string): Promise<ConnectorStatus> {
    let last = 'no status yet';
    return waitFor(
      `connector ${name} to be ${state}`,
      async () => {
        const status = await this.status(name);
        last = JSON.stringify(status);
        const failed = status.tasks.find(t => t.state === 'FAILED');
        if (failed)
          throw new StopWaiting(
            `task ${failed.id} of ${name} failed: ${failed.trace}`,
          );
        const states = [
          status.connector.state,
          ...status.tasks.map(t => t.state),
        ];
        return status.tasks.length > 0 && states.every(s => s === state)
          ? status
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1000, state: () => last },
    );
  }

  /** Stops the connector (its tasks shut down, offsets committed) without deleting it. */
  async stop(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${name}/stop`);
    await waitFor(
      `connector ${name} to stop`,
      async () =>
        (await this.status(name)).connector.state === 'STOPPED'
          ? true
          : undefined,
      { timeoutMs: 120_000, intervalMs: 1000 },
    );
  }

  /** Resumes a stopped connector from its committed offsets. */
  async resume(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${name}/resume`);
    await this.waitState(name, 'RUNNING');
  }

  async delete(name: string): Promise<void> {
    await this.request('DELETE', `/connectors/${name}`).catch(error => {
      if (!/: 404 /.test(String(error.message))) throw error;
    });
  }
}
