// The browser tests: starts what they need (Chromium, Kafka, the app on :7007,
// demo traffic and the User Events job), runs e2e/tests/*.test.mts with
// node's test runner, and stops what it started. Screenshots go to
// .cache/screenshots/, logs to .cache/e2e/.
//
// Usage: node e2e/run.mts [TEST_FILE...]   (default: every e2e/tests/*.test.mts)
// Traffic and the job start only when a selected test needs live data
// (`*.live.test.mts`), after the other tests have run: those then run without
// a Spark job taking most of a core beside them. An app already answering on
// :7007 is reused; else the backend started here and the job use a progress
// topic of this run, so only the job started here has micro-batches (history
// of `make start` stays out).
import {
  execFile,
  execFileSync,
  spawn,
  type ChildProcess,
} from 'node:child_process';
import { createRequire } from 'node:module';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const work = join(root, '.cache/e2e');
const resultsTap = join(work, 'results.tap');
mkdirSync(work, { recursive: true });
const tests = (
  process.argv.length > 2
    ? process.argv.slice(2)
    : readdirSync(join(root, 'e2e/tests'))
        .filter(f => f.endsWith('.test.mts'))
        .map(f => join('e2e/tests', f))
).map(f => resolve(f));
const isLive = (f: string) => f.endsWith('.live.test.mts');
const liveTests = tests.filter(isLive);
const otherTests = tests.filter(f => !isLive(f));
const started: Array<{ name: string; child: ChildProcess }> = [];

function log(message: string) {
  console.error(`e2e: ${message}`);
}

/** Starts a command in its own process group, its output in .cache/e2e/NAME.log. */
function background(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
  cwd: string = root,
): ChildProcess {
  const out = openSync(join(work, `${name}.log`), 'a');
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', out, out],
  });
  started.push({ name, child });
  log(
    `started ${name} (process group ${child.pid}), log .cache/e2e/${name}.log`,
  );
  return child;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

async function stopAll() {
  for (const { name, child } of started.reverse()) {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGCONT');
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        continue;
      }
      const exited = new Promise(r => child.once('exit', r));
      const timeout = new Promise(r => setTimeout(r, 60_000, 'timeout'));
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      log(`stopped ${name}`);
    }
  }
}

const kafka = new Kafka({
  clientId: 'e2e-runner',
  brokers: ['127.0.0.1:9092'],
  logLevel: logLevel.ERROR,
});
const createdTopics: string[] = [];

async function createTopic(topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
    createdTopics.push(topic);
  } finally {
    await admin.disconnect();
  }
}

async function deleteCreatedTopics() {
  if (createdTopics.length === 0) return;
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteTopics({ topics: createdTopics });
  } catch (error) {
    log(`could not delete ${createdTopics.join(', ')}: ${error}`);
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<number> {
  const chromiumPath = execFileSync('bash', ['scripts/chromium.sh'], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  execFileSync('bash', ['scripts/kafka.sh', 'start'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  // A running app is reused: the dev server on :3000 when it answers, else the
  // backend on :7007 serving the built frontend. Otherwise the runner builds
  // the frontend once and starts the backend from source without a file
  // watcher, so edits elsewhere in the tree do not restart it mid-test.
  const backendUrl = 'http://localhost:7007';
  let baseUrl = 'http://localhost:3000';
  let progressTopic: string | undefined;
  if (await answers(`${backendUrl}/api/streaming/health`)) {
    if (!(await answers(baseUrl))) baseUrl = backendUrl;
    log(`reusing the app already running (${baseUrl})`);
  } else {
    baseUrl = backendUrl;
    log('building the frontend (packages/app/dist)');
    execFileSync('yarn', ['build'], {
      cwd: join(root, 'packages/app'),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // mkdocs for the backend's local TechDocs generator, as `make start` does.
    execFileSync('bash', ['scripts/techdocs.sh'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // A database of its own for every run, so pipelines the tests create never
    // land in the catalog `make start` uses (.cache/sqlite).
    const database = join(work, 'sqlite');
    rmSync(database, { recursive: true, force: true });
    progressTopic = `e2e.progress.${Date.now()}`;
    await createTopic(progressTopic);
    background(
      'backend',
      process.execPath,
      [
        '--enable-source-maps',
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        'src/index.ts',
      ],
      {
        NODE_ENV: 'development',
        APP_CONFIG_app_baseUrl: backendUrl,
        APP_CONFIG_backend_database_connection_directory: database,
        APP_CONFIG_streaming_progressTopic: progressTopic,
        APP_CONFIG_streaming_progressConsumerGroup: progressTopic,
        PATH: `${join(root, '.tools/techdocs-venv/bin')}:${process.env.PATH}`,
        NO_MKDOCS_2_WARNING: '1',
      },
      join(root, 'packages/backend'),
    );
    log('waiting for the backend');
    await promisify(execFile)(
      process.execPath,
      [
        'scripts/lib/wait-for-http.js',
        `${backendUrl}/api/streaming/health`,
        baseUrl,
        '--timeout',
        '600',
      ],
      { cwd: root },
    );
  }

  const env: Record<string, string> = {
    CHROMIUM_PATH: chromiumPath,
    E2E_BASE_URL: baseUrl,
    // Where the backend reads progress events (app-config's when reused).
    E2E_PROGRESS_TOPIC: progressTopic ?? 'streaming.progress',
  };
  rmSync(resultsTap, { force: true });
  let status = 0;
  if (otherTests.length > 0) {
    status = Math.max(status, await runTests(otherTests, env, 'other'));
  }
  if (liveTests.length > 0) {
    background('traffic', process.execPath, [
      'scripts/demo-traffic/main.mts',
      '--rate',
      'all=0',
      '--rate',
      'events=100',
    ]);
    execFileSync(
      process.execPath,
      [
        '-r',
        'sucrase/register/ts',
        'e2e/lib/renderUserEventsJob.ts',
        join(work, 'user-events'),
      ],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const job = background(
      'user-events-job',
      'bash',
      ['scripts/spark.sh', 'python', join(work, 'user-events/job/main.py')],
      {
        KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092',
        PIPELINE_STARTING_OFFSETS: 'latest',
        PIPELINE_SINK_PATH: join(work, 'user-events/delta'),
        PIPELINE_CHECKPOINT: join(work, `user-events/checkpoint-${Date.now()}`),
        ...(progressTopic ? { STREAMING_PROGRESS_TOPIC: progressTopic } : {}),
        PIPELINE_SCHEMA_FILE: join(
          root,
          'examples/pipelines/user-events/schemas/user_event.avsc',
        ),
        TZ: 'UTC',
      },
    );
    env.E2E_JOB_PROCESS_GROUP = String(job.pid);
    env.E2E_JOB_STARTED_AT = String(Date.now());
    status = Math.max(status, await runTests(liveTests, env, 'live'));
  }
  return status;
}

/**
 * Runs test files one at a time with node's test runner: its spec report on
 * stdout, its TAP report appended to .cache/e2e/results.tap (the summary of
 * make test adds up every run in it). The runner's exit code.
 */
async function runTests(
  files: string[],
  env: Record<string, string>,
  name: string,
): Promise<number> {
  const tap = join(work, `results-${name}.tap`);
  // A report left by an earlier run must not count as this one's.
  rmSync(tap, { force: true });
  const runner = spawn(
    process.execPath,
    [
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' },
  );
  const code = await new Promise<number>(done =>
    runner.on('exit', exitCode => done(exitCode ?? 1)),
  );
  if (existsSync(tap)) appendFileSync(resultsTap, readFileSync(tap, 'utf8'));
  return code;
}

let status = 1;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void stopAll().then(() => process.exit(130));
  });
}
try {
  status = await main();
} catch (error) {
  log(String(error));
} finally {
  await stopAll();
  await deleteCreatedTopics();
}
process.exit(status);
