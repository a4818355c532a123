import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findRepoRoot } from '@internal/plugin-streaming-node/testUtils';
import { stringify } from 'yaml';

const run = promisify(execFile);
const repoRoot = findRepoRoot();

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** Debian's prometheus and prometheus-alertmanager (installed by scripts/prometheus.sh when missing). */
export async function installPrometheus(): Promise<void> {
  await run(path.join(repoRoot, 'scripts/prometheus.sh'), ['install'], {
    timeout: 600_000,
  });
}

/** One server process of this test run, in a folder of its own. */
class TestServer {
  protected constructor(
    readonly url: string,
    readonly dir: string,
    private readonly child: ChildProcess,
    private readonly output: () => string,
  ) {}

  protected static async launch(
    name: string,
    command: string,
    args: (dir: string, port: number) => string[],
    files: Record<string, unknown>,
  ) {
    const dir = await mkdtemp(path.join(os.tmpdir(), `${name}-`));
    for (const [file, content] of Object.entries(files)) {
      await writeFile(path.join(dir, file), stringify(content));
    }
    const port = await freePort();
    let output = '';
    const child = spawn(command, args(dir, port), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', d => (output += d));
    child.stderr!.on('data', d => (output += d));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`${name} exited: ${output}`);
      }
      const ready = await fetch(`${url}/-/ready`).then(
        r => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${name} did not become ready: ${output}`);
      }
      await new Promise(r => setTimeout(r, 200));
    }
    return { url, dir, child, output: () => output };
  }

  async get<T>(apiPath: string): Promise<T> {
    const res = await fetch(`${this.url}${apiPath}`);
    if (!res.ok) throw new Error(`${apiPath}: ${res.status}`);
    return ((await res.json()) as { data: T }).data;
  }

  /** What the server logged, for failure messages. */
  get log(): string {
    return this.output();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise(r => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise(r => setTimeout(r, 10_000))]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** An alert as Prometheus' `/api/v1/alerts` lists it. */
export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

/** A Prometheus of its own: one scrape target, the given rule groups, 1 s intervals. */
export class TestPrometheus extends TestServer {
  static async start(options: {
    target: string;
    groups: unknown[];
    alertmanager?: string;
  }): Promise<TestPrometheus> {
    const { url, dir, child, output } = await TestServer.launch(
      'prometheus',
      'prometheus',
      (folder, port) => [
        `--config.file=${path.join(folder, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(folder, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      {
        'rules.yml': { groups: options.groups },
        'prometheus.yml': {
          global: { scrape_interval: '1s', evaluation_interval: '1s' },
          rule_files: ['rules.yml'],
          ...(options.alertmanager
            ? {
                alerting: {
                  alertmanagers: [
                    {
                      static_configs: [
                        {
                          targets: [
                            options.alertmanager.replace(/^http:\/\//, ''),
                          ],
                        },
                      ],
                    },
                  ],
                },
              }
            : {}),
          scrape_configs: [
            {
              job_name: 'backstage',
              static_configs: [{ targets: [options.target] }],
            },
          ],
        },
      },
    );
    return new TestPrometheus(url, dir, child, output);
  }

  alerts(): Promise<PrometheusAlert[]> {
    return this.get<{ alerts: PrometheusAlert[] }>('/api/v1/alerts').then(
      d => d.alerts,
    );
  }
}

/** An Alertmanager of its own with the given configuration, no clustering. */
export class TestAlertmanager extends TestServer {
  static async start(config: unknown): Promise<TestAlertmanager> {
    const { url, dir, child, output } = await TestServer.launch(
      'alertmanager',
      'prometheus-alertmanager',
      (folder, port) => [
        `--config.file=${path.join(folder, 'alertmanager.yml')}`,
        `--storage.path=${path.join(folder, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { 'alertmanager.yml': config },
    );
    return new TestAlertmanager(url, dir, child, output);
  }
}
