/**
 * Generated jobs against hand-written Spark: the User Events and Clickstream
 * examples' generated jobs (`examples/pipelines/<name>/job/main.py`, as
 * committed) and a hand-written PySpark baseline of the same query
 * (`bench/baseline/<name>.py`) over the same records, in the same run. User
 * Events' generated job also writes the records that do not parse to a
 * dead-letter topic (a second query over the source): it runs against a
 * baseline with the same dead-letter query too
 * (`bench/baseline/user_events_dead_letter.py`, the ratio of the target), the
 * baseline without it showing what the dead-letter topic costs. One User
 * Events record in 200 does not parse.
 *
 * Pre-produces one data set per example on the local broker
 * (`scripts/kafka.sh`, 127.0.0.1:9092): N records shaped as the example's
 * schema says (the `.avsc` of User Events, the inline fields of Clickstream),
 * event times moving forward with some disorder, in topics of their own. Then
 * runs each job with `availableNow` (the generated job through its
 * `PIPELINE_TRIGGER` setting) on Spark from `scripts/spark.sh` with the same
 * configuration (master `local[*]`, the script's shuffle partitions, 2 GiB of
 * driver memory, the full JIT, the same `maxOffsetsPerTrigger`), into Delta
 * tables of their own, dead letters into a topic per run. Each round runs the
 * jobs of an example in turn, the order reversed every other round.
 *
 * Time is taken from Spark's own event log (the same for every job): from the
 * first query's start to the end of the last micro-batch of any, and the
 * records one query read.
 * Prints records per second of each job, the ratio generated / baseline per
 * round and example, the Spark JVM's peak RSS, the machine's load average,
 * whether the jobs wrote the same rows (one more Spark run) and the same
 * number of dead letters.
 *
 * Run from the repository root, with the project's Node (`. scripts/toolchain.sh`):
 *   node_modules/.bin/sucrase-node bench/jobs.ts [--records 2000000] [--rounds 2] \
 *     [--partitions 2] [--batch-records 500000] [--committed]
 * `--committed` runs the examples' jobs as committed (HEAD), not as they are in
 * the working tree.
 * The topics, checkpoints and tables are deleted at the end.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { benchOptions } from './lib/benchOptions';

const root = path.resolve(__dirname, '..');
const options = benchOptions(
  {
    records: 2_000_000,
    rounds: 2,
    partitions: 2,
    'batch-records': 500_000,
  },
  ['committed'],
);
const brokers = ['127.0.0.1:9092'];
const stamp = Date.now();
const workDir = path.join(root, '.cache/bench/jobs', String(stamp));
/** Where the examples' generated jobs are: the working tree, or a copy of HEAD's (`--committed`). */
const examplesRoot = options.committed ? path.join(workDir, 'head') : root;

/** A deterministic pseudo-random number generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, list: readonly T[]): T =>
  list[Math.floor(next() * list.length)];

/** Event time of the i-th record: 200 a second from 2026-01-05, up to 30 s late or early. */
const base = Date.parse('2026-01-05T00:00:00Z');
const eventTime = (i: number, next: () => number) =>
  base + Math.floor(i * 5 + (next() - 0.5) * 60_000);

const COUNTRIES =
  'DE US FR GB ES IT NL SE PL BR IN JP CA AU MX KR CH AT BE DK'.split(' ');
const EVENT_TYPES = [
  ...Array(10).fill('view'),
  ...Array(6).fill('click'),
  ...Array(2).fill('heartbeat'),
  'purchase',
  'signup',
] as string[];
const REFERRERS = [
  'https://www.google.com/',
  'https://news.example.com/',
  'https://bot.crawler.example/',
  'https://social.example/feed',
  null,
];

/** One User Events record in BAD_EVERY does not parse: the dead-letter topic's share. */
const BAD_EVERY = 200;
const isBad = (i: number) => i % BAD_EVERY === BAD_EVERY - 1;
/** The records of the data set that do not parse. */
const badRecords = (records: number) => Math.floor(records / BAD_EVERY);

type Example = {
  name: string;
  /** The baseline script in bench/baseline. */
  baseline: string;
  /** The baseline script of the same query with the generated job's dead-letter topic. */
  deadLetterBaseline?: string;
  /** The i-th record: key and JSON value. */
  record: (i: number, next: () => number) => { key: string; value: string };
};

const EXAMPLES: Example[] = [
  {
    name: 'user-events',
    baseline: 'user_events.py',
    deadLetterBaseline: 'user_events_dead_letter.py',
    record: (i, next) => {
      const type = pick(next, EVENT_TYPES);
      const user = `u${Math.floor(next() * 50_000)}`;
      const value = JSON.stringify({
        user_id: user,
        event_type: type,
        country: pick(next, COUNTRIES),
        amount: type === 'purchase' ? Math.round(next() * 20_000) / 100 : null,
        timestamp: eventTime(i, next),
      });
      // One record in BAD_EVERY does not parse (cut off half way): a dead letter.
      return {
        key: user,
        value: isBad(i) ? value.slice(0, value.length >> 1) : value,
      };
    },
  },
  {
    name: 'clickstream',
    baseline: 'clickstream.py',
    record: (i, next) => {
      const session = `s${Math.floor(next() * 100_000)}`;
      return {
        key: session,
        value: JSON.stringify({
          session_id: session,
          user_id: `u${Math.floor(next() * 50_000)}`,
          page: next() < 0.01 ? null : `/p/${Math.floor(next() * 200)}`,
          referrer: pick(next, REFERRERS),
          ts: new Date(eventTime(i, next)).toISOString(),
        }),
      };
    },
  },
];

/** Produces `count` records of an example: batches of 5,000, four in flight. */
async function produce(kafka: Kafka, topic: string, example: Example) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const next = random(22);
  const size = 5_000;
  let sent = 0;
  const sendNext = async (): Promise<void> => {
    while (sent < options.records) {
      const from = sent;
      const to = Math.min(options.records, from + size);
      sent = to;
      const messages = [];
      for (let i = from; i < to; i++) {
        messages.push(example.record(i, next));
      }
      await producer.send({ topic, acks: 1, messages });
    }
  };
  await Promise.all([sendNext(), sendNext(), sendNext(), sendNext()]);
  await producer.disconnect();
}

type Run = {
  example: string;
  /** `baseline-dl`: the baseline with the generated job's dead-letter topic. */
  job: 'generated' | 'baseline-dl' | 'baseline';
  round: number;
  /** Records the job wrote to its dead-letter topic (null: it has none). */
  deadLetters: number | null;
  /** Streaming queries the job ran. */
  queries: number;
  records: number;
  batches: number;
  querySeconds: number;
  /** Seconds per phase of the micro-batches (Spark's durationMs), summed. */
  phases: Record<string, number>;
  wallSeconds: number;
  peakRssMiB: number;
  table: string;
};

/** The Spark JVM's resident memory in KiB, in the process group (0 when not started yet). */
function jvmRssKiB(group: number): number {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'rss=,comm=', '-g', String(group)], {
      encoding: 'utf8',
    });
  } catch {
    return 0;
  }
  return out
    .split('\n')
    .filter(line => line.trim().endsWith('java'))
    .reduce(
      (max, line) => Math.max(max, Number(line.trim().split(/\s+/)[0])),
      0,
    );
}

/** Runs a PySpark script through `scripts/spark.sh python` until it exits; its peak JVM RSS. */
async function runSpark(
  args: string[],
  env: Record<string, string>,
  logFile: string,
): Promise<{ wallSeconds: number; peakRssKiB: number; output: string }> {
  const started = performance.now();
  const log = fs.createWriteStream(logFile);
  const child: ChildProcess = spawn(
    'bash',
    [path.join(root, 'scripts/spark.sh'), 'python', ...args],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TZ: 'UTC',
        SPARK_MASTER: 'local[*]',
        SPARK_DRIVER_MEMORY: '2g',
        // The full JIT (the script's default keeps the quick one, for short tests).
        SPARK_DRIVER_JAVA_OPTS: '',
        ...env,
      },
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    output = (output + chunk.toString('utf8')).slice(-50_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let peakRssKiB = 0;
  const poll = setInterval(() => {
    peakRssKiB = Math.max(peakRssKiB, jvmRssKiB(child.pid!));
  }, 500);
  const code = await new Promise<number | null>(done =>
    child.on('exit', c => done(c)),
  );
  clearInterval(poll);
  log.end();
  if (code !== 0) {
    throw new Error(
      `${args.join(' ')} exited with ${code}; log ${logFile}:\n${output
        .split('\n')
        .slice(-30)
        .join('\n')}`,
    );
  }
  return {
    wallSeconds: (performance.now() - started) / 1000,
    peakRssKiB,
    output,
  };
}

type QueryEvent = {
  Event: string;
  timestamp?: string;
  progress?: {
    id: string;
    timestamp: string;
    // The event log holds the progress's fields, without the totals of its JSON.
    sources: Array<{ numInputRows: number }>;
    durationMs: Record<string, number>;
  };
};

/** The streaming query's span and records, from the one event log Spark wrote in `dir`. */
function queryFigures(dir: string) {
  const files = fs.readdirSync(dir);
  if (files.length !== 1) {
    throw new Error(`expected one Spark event log in ${dir}, found ${files}`);
  }
  const events = fs
    .readFileSync(path.join(dir, files[0]), 'utf8')
    .split('\n')
    .filter(line => line.includes('StreamingQueryListener$Query'))
    .map(line => JSON.parse(line) as QueryEvent);
  const starts = events.flatMap(e =>
    e.Event.endsWith('QueryStartedEvent') && e.timestamp
      ? [Date.parse(e.timestamp)]
      : [],
  );
  const progress = events.flatMap(e =>
    e.Event.endsWith('QueryProgressEvent') && e.progress ? [e.progress] : [],
  );
  if (starts.length === 0 || progress.length === 0) {
    throw new Error(`no streaming query in the event log of ${dir}`);
  }
  const rows = (p: (typeof progress)[number]) =>
    p.sources.reduce((sum, s) => sum + s.numInputRows, 0);
  // Every query of the job reads the whole topic (a job may run more than one
  // query over its source): the records of the data set are those of one query.
  const recordsPerQuery = new Map<string, number>();
  const phases: Record<string, number> = {};
  for (const p of progress) {
    recordsPerQuery.set(p.id, (recordsPerQuery.get(p.id) ?? 0) + rows(p));
    for (const [phase, ms] of Object.entries(p.durationMs)) {
      phases[phase] = (phases[phase] ?? 0) + ms / 1000;
    }
  }
  const counts = [...new Set(recordsPerQuery.values())];
  if (counts.length !== 1) {
    throw new Error(
      `the queries in ${dir} read different numbers of records: ${counts}`,
    );
  }
  // From the first query's start to the end of the last micro-batch of any.
  const end = Math.max(
    ...progress.map(
      p => Date.parse(p.timestamp) + (p.durationMs.triggerExecution ?? 0),
    ),
  );
  return {
    phases,
    queries: recordsPerQuery.size,
    records: counts[0],
    batches: progress.filter(p => rows(p) > 0).length,
    querySeconds: (end - Math.min(...starts)) / 1000,
  };
}

async function runJob(
  example: Example,
  job: Run['job'],
  round: number,
  topic: string,
  progressTopic: string,
  deadLetterTopic: string,
  admin: Admin,
): Promise<Run> {
  const name = `${example.name}-${job}-${round}`;
  const dir = path.join(workDir, name);
  const eventLog = path.join(dir, 'events');
  fs.mkdirSync(eventLog, { recursive: true });
  const table = path.join(dir, 'table');
  const checkpoint = path.join(dir, 'checkpoint');
  const batch = String(options['batch-records']);
  const eventLogEnv = {
    SPARK_CONF_DIR: path.join(dir, 'conf'),
  };
  fs.mkdirSync(eventLogEnv.SPARK_CONF_DIR);
  fs.writeFileSync(
    path.join(eventLogEnv.SPARK_CONF_DIR, 'spark-defaults.conf'),
    [
      'spark.eventLog.enabled true',
      `spark.eventLog.dir file://${eventLog}`,
      // One plain file (Spark 4 rolls and compresses event logs by default).
      'spark.eventLog.rolling.enabled false',
      'spark.eventLog.compress false',
      '',
    ].join('\n'),
  );
  const baselineArgs = (script: string) => [
    path.join('bench/baseline', script),
    '--bootstrap-servers',
    brokers.join(','),
    '--topic',
    topic,
    '--output',
    table,
    '--checkpoint',
    checkpoint,
    '--max-offsets-per-trigger',
    batch,
  ];
  const result =
    job === 'generated'
      ? await runSpark(
          [
            path.join(
              examplesRoot,
              'examples/pipelines',
              example.name,
              'job/main.py',
            ),
          ],
          {
            ...eventLogEnv,
            KAFKA_BOOTSTRAP_SERVERS: brokers.join(','),
            PIPELINE_SOURCE_TOPIC: topic,
            PIPELINE_STARTING_OFFSETS: 'earliest',
            PIPELINE_MAX_OFFSETS_PER_TRIGGER: batch,
            PIPELINE_CHECKPOINT: checkpoint,
            PIPELINE_SINK_PATH: table,
            PIPELINE_TRIGGER: 'available_now',
            STREAMING_PROGRESS_TOPIC: progressTopic,
            // A job with a dead-letter target runs a second query over the source.
            PIPELINE_DEAD_LETTER_TOPIC: deadLetterTopic,
            PIPELINE_DEAD_LETTER_CHECKPOINT: path.join(dir, 'dead-letter'),
          },
          path.join(workDir, `${name}.log`),
        )
      : job === 'baseline-dl'
      ? await runSpark(
          [
            ...baselineArgs(example.deadLetterBaseline!),
            '--dead-letter-topic',
            deadLetterTopic,
            '--dead-letter-checkpoint',
            path.join(dir, 'dead-letter'),
          ],
          eventLogEnv,
          path.join(workDir, `${name}.log`),
        )
      : await runSpark(
          baselineArgs(example.baseline),
          eventLogEnv,
          path.join(workDir, `${name}.log`),
        );
  const figures = queryFigures(eventLog);
  if (figures.records !== options.records) {
    throw new Error(
      `${name} read ${figures.records} records, ${options.records} were produced`,
    );
  }
  return {
    example: example.name,
    job,
    round,
    deadLetters:
      job === 'baseline'
        ? null
        : (await admin.fetchTopicOffsets(deadLetterTopic)).reduce(
            (sum, p) => sum + Number(p.high),
            0,
          ),
    ...figures,
    wallSeconds: result.wallSeconds,
    peakRssMiB: result.peakRssKiB / 1024,
    table,
  };
}

const rate = (run: Run) => run.records / run.querySeconds;
const format = (n: number, digits = 0) =>
  n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });

async function main() {
  fs.mkdirSync(workDir, { recursive: true });
  if (options.committed) {
    // Another change in progress in the working tree is left out of the figures.
    fs.mkdirSync(examplesRoot);
    const archive = execFileSync(
      'git',
      [
        'archive',
        '--format=tar',
        'HEAD',
        ...EXAMPLES.map(e => `examples/pipelines/${e.name}`),
      ],
      { cwd: root, maxBuffer: 1 << 30 },
    );
    execFileSync('tar', ['-x', '-C', examplesRoot], { input: archive });
  }
  execFileSync(path.join(root, 'scripts/kafka.sh'), ['start'], {
    stdio: 'ignore',
  });
  const kafka = new Kafka({
    clientId: 'bench-jobs',
    brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const topics = new Map(
    EXAMPLES.map(e => [e.name, `bench-jobs-${e.name}-${stamp}`]),
  );
  const progressTopic = `bench-jobs-progress-${stamp}`;
  const deadLetterTopic = `bench-jobs-dead-letter-${stamp}`;
  console.log(
    `${format(options.records)} records per example, ${
      options.partitions
    } partitions, maxOffsetsPerTrigger ${format(options['batch-records'])}, ${
      options.rounds
    } rounds; ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' ')}`,
  );
  const runs: Run[] = [];
  const deadLetterTopics: string[] = [];
  let finished = false;
  try {
    await admin.createTopics({
      topics: [
        ...[...topics.values()].map(topic => ({
          topic,
          numPartitions: options.partitions,
        })),
        { topic: progressTopic, numPartitions: 1 },
      ],
    });
    for (const example of EXAMPLES) {
      const started = performance.now();
      await produce(kafka, topics.get(example.name)!, example);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `produced ${example.name}: ${format(
          options.records / seconds,
        )} records/s (${seconds.toFixed(1)} s)`,
      );
    }
    for (let round = 1; round <= options.rounds; round++) {
      for (const example of EXAMPLES) {
        const jobs: Run['job'][] = example.deadLetterBaseline
          ? ['generated', 'baseline-dl', 'baseline']
          : ['generated', 'baseline'];
        const order = round % 2 === 1 ? jobs : [...jobs].reverse();
        for (const job of order) {
          // Each run writes its dead letters to a topic of its own, to count them.
          const runDeadLetterTopic = `${deadLetterTopic}-${example.name}-${job}-${round}`;
          await admin.createTopics({
            topics: [{ topic: runDeadLetterTopic, numPartitions: 1 }],
          });
          deadLetterTopics.push(runDeadLetterTopic);
          const run = await runJob(
            example,
            job,
            round,
            topics.get(example.name)!,
            progressTopic,
            runDeadLetterTopic,
            admin,
          );
          runs.push(run);
          console.log(
            `round ${round} ${example.name} ${job}: ${format(
              rate(run),
            )} records/s (query ${run.querySeconds.toFixed(1)} s, ${
              run.batches
            } batches in ${
              run.queries
            } queries, process ${run.wallSeconds.toFixed(
              1,
            )} s, peak RSS ${format(run.peakRssMiB)} MiB${
              run.deadLetters === null
                ? ''
                : `, ${format(run.deadLetters)} dead letters`
            }; load ${os.loadavg()[0].toFixed(2)})`,
          );
        }
      }
    }
    printTable(runs);
    await compareTables(runs);
    finished = true;
  } finally {
    await admin
      .deleteTopics({
        topics: [...topics.values(), progressTopic, ...deadLetterTopics],
      })
      .catch(() => undefined);
    await admin.disconnect();
    if (finished) {
      fs.rmSync(workDir, { recursive: true, force: true });
    } else {
      console.error(`logs kept in ${path.relative(root, workDir)}`);
    }
  }
}

function printTable(runs: Run[]) {
  console.log(
    '\n| example | round | generated records/s | baseline with dead letters records/s | baseline records/s | generated / baseline with dead letters | generated / baseline | baseline with / without dead letters | peak RSS generated / with dead letters / baseline (MiB) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const mean = (list: number[]) =>
    list.length
      ? `${(list.reduce((s, r) => s + r, 0) / list.length).toFixed(2)}x`
      : '';
  for (const example of EXAMPLES) {
    const same: number[] = [];
    const plain: number[] = [];
    const cost: number[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const of = (job: Run['job']) =>
        runs.find(
          r => r.example === example.name && r.round === round && r.job === job,
        );
      const generated = of('generated')!;
      const withDeadLetters = of('baseline-dl');
      const baseline = of('baseline')!;
      plain.push(rate(generated) / rate(baseline));
      if (withDeadLetters) {
        same.push(rate(generated) / rate(withDeadLetters));
        cost.push(rate(withDeadLetters) / rate(baseline));
      }
      console.log(
        `| ${example.name} | ${round} | ${format(rate(generated))} | ${
          withDeadLetters ? format(rate(withDeadLetters)) : '–'
        } | ${format(rate(baseline))} | ${
          withDeadLetters ? `${same.at(-1)!.toFixed(2)}x` : '–'
        } | ${plain.at(-1)!.toFixed(2)}x | ${
          withDeadLetters ? `${cost.at(-1)!.toFixed(2)}x` : '–'
        } | ${format(generated.peakRssMiB)} / ${
          withDeadLetters ? format(withDeadLetters.peakRssMiB) : '–'
        } / ${format(baseline.peakRssMiB)} |`,
      );
    }
    console.log(
      `| ${example.name} | mean | | | | ${mean(same)} | ${mean(plain)} | ${mean(
        cost,
      )} | |`,
    );
  }
  console.log('');
  for (const example of EXAMPLES) {
    printPhases(example, runs);
  }
}

/** Where the micro-batches' time went: seconds per phase, summed over rounds, per job. */
function printPhases(example: Example, runs: Run[]) {
  const total = (job: Run['job']) => {
    const sums: Record<string, number> = {};
    for (const run of runs.filter(
      r => r.example === example.name && r.job === job,
    )) {
      for (const [phase, seconds] of Object.entries(run.phases)) {
        sums[phase] = (sums[phase] ?? 0) + seconds;
      }
    }
    return sums;
  };
  const generated = total('generated');
  const withDeadLetters = example.deadLetterBaseline
    ? total('baseline-dl')
    : null;
  const baseline = total('baseline');
  console.log(
    `  ${example.name} phases, seconds generated / ${
      withDeadLetters ? 'baseline with dead letters / ' : ''
    }baseline: ${Object.keys(generated)
      .map(
        phase =>
          `${phase} ${[
            generated,
            ...(withDeadLetters ? [withDeadLetters] : []),
            baseline,
          ]
            .map(sums => (sums[phase] ?? 0).toFixed(1))
            .join(' / ')}`,
      )
      .join(', ')}`,
  );
}

/**
 * The jobs of an example's first round must have written the same rows
 * (generated against each baseline), and the generated job and the baseline
 * with dead letters the same number of dead letters, those of the data set.
 */
async function compareTables(runs: Run[]) {
  const of = (example: Example, job: Run['job']) =>
    runs.find(
      r => r.example === example.name && r.round === 1 && r.job === job,
    )!;
  const pairs = EXAMPLES.flatMap(example => [
    of(example, 'generated').table,
    of(example, 'baseline').table,
    ...(example.deadLetterBaseline
      ? [of(example, 'generated').table, of(example, 'baseline-dl').table]
      : []),
  ]);
  const { output } = await runSpark(
    ['bench/baseline/compare.py', ...pairs],
    {},
    path.join(workDir, 'compare.log'),
  );
  console.log('');
  for (const line of output.split('\n')) {
    if (!line.startsWith('COMPARE ')) continue;
    const c = JSON.parse(line.slice('COMPARE '.length));
    const example = EXAMPLES.find(e => c.a.includes(`/${e.name}-`))!.name;
    const other = c.b.includes('-baseline-dl-')
      ? 'baseline with dead letters'
      : 'baseline';
    console.log(
      `${example}: generated ${c.rows_a} rows, ${other} ${c.rows_b} rows, ${
        c.only_a === 0 && c.only_b === 0
          ? 'the same rows'
          : `DIFFERENT (${c.only_a} only in generated, ${c.only_b} only in ${other})`
      }`,
    );
  }
  for (const example of EXAMPLES.filter(e => e.deadLetterBaseline)) {
    const expected = badRecords(options.records);
    for (let round = 1; round <= options.rounds; round++) {
      const dead = (job: Run['job']) =>
        runs.find(
          r => r.example === example.name && r.round === round && r.job === job,
        )!.deadLetters;
      const generated = dead('generated');
      const baseline = dead('baseline-dl');
      console.log(
        `${
          example.name
        } round ${round}: dead letters generated ${generated}, baseline with dead letters ${baseline}, ${
          generated === expected && baseline === expected
            ? `both the ${expected} records that do not parse`
            : `DIFFERENT (${expected} records do not parse)`
        }`,
      );
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
