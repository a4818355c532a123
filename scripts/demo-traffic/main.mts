// Demo traffic for the five example pipelines: produces realistic events to their
// topics at a configurable rate and prints progress. Runs on Node 22+ as it stands
// (type stripping), no build step.
//
// Usage: node scripts/demo-traffic/main.mts [--brokers HOST:PORT] [--rate TOPIC=N]...
//          [--duration SECONDS] [--seed N] [--progress SECONDS]
//   --rate events=200 --rate orders=0   messages per second per topic (0 turns it off);
//                                       --rate all=N sets every topic
//   --duration 0                        run until Ctrl-C (default)
// Defaults: brokers $KAFKA_BROKERS or 127.0.0.1:9092; rates below; progress every 5 s.
import { parseArgs } from 'node:util';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import {
  createClickMaker,
  createOrderMaker,
  createRandom,
  createUserChangeMaker,
  logLine,
  userEvent,
  type Message,
  type Random,
} from './events.mts';

type Stream = {
  topic: string;
  partitions: number;
  rate: number;
  make: (random: Random, now: number) => Message;
  sent: number;
};

const streams: Stream[] = [
  { topic: 'events', partitions: 3, rate: 50, make: userEvent, sent: 0 },
  {
    topic: 'orders',
    partitions: 2,
    rate: 10,
    make: createOrderMaker(),
    sent: 0,
  },
  {
    topic: 'clicks',
    partitions: 3,
    rate: 40,
    make: createClickMaker(),
    sent: 0,
  },
  {
    topic: 'dbserver1.public.users',
    partitions: 1,
    rate: 2,
    make: createUserChangeMaker(),
    sent: 0,
  },
  { topic: 'app-logs', partitions: 2, rate: 20, make: logLine, sent: 0 },
];

function fail(message: string): never {
  console.error(`demo-traffic: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    brokers: {
      type: 'string',
      default: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    },
    rate: { type: 'string', multiple: true, default: [] },
    duration: { type: 'string', default: '0' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    progress: { type: 'string', default: '5' },
  },
});

const number = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0)
    fail(`--${name} expects a number >= 0, got "${text}"`);
  return n;
};

for (const setting of values.rate) {
  const match = /^([^=]+)=(.+)$/.exec(setting);
  if (!match) fail(`--rate expects TOPIC=N, got "${setting}"`);
  const [, topic, rate] = match;
  const chosen =
    topic === 'all' ? streams : streams.filter(s => s.topic === topic);
  if (chosen.length === 0)
    fail(
      `unknown topic "${topic}"; topics: ${streams
        .map(s => s.topic)
        .join(', ')}, all`,
    );
  for (const s of chosen) s.rate = number('rate', rate);
}
const durationMs = number('duration', values.duration) * 1000;
const progressMs = Math.max(1, number('progress', values.progress)) * 1000;
const random = createRandom(number('seed', values.seed));
const active = streams.filter(s => s.rate > 0);
const brokers = values.brokers.split(',');

const kafka = new Kafka({
  clientId: 'demo-traffic',
  brokers,
  logLevel: logLevel.ERROR,
});
const admin = kafka.admin();
const producer = kafka.producer({
  createPartitioner: Partitioners.DefaultPartitioner,
  allowAutoTopicCreation: false,
});

let stopping = false;
const stop = () => {
  stopping = true;
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const summary = (elapsedMs: number) =>
  active
    .map(
      s =>
        `${s.topic} ${s.sent} (${Math.round(
          s.sent / Math.max(elapsedMs / 1000, 0.001),
        )}/s)`,
    )
    .join(', ');

async function main() {
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const missing = active.filter(s => !existing.has(s.topic));
  if (missing.length > 0) {
    await admin.createTopics({
      topics: missing.map(s => ({
        topic: s.topic,
        numPartitions: s.partitions,
      })),
      waitForLeaders: true,
    });
  }
  await admin.disconnect();
  await producer.connect();
  console.log(
    `demo-traffic: producing to ${brokers.join(',')}: ${active
      .map(s => `${s.topic} ${s.rate}/s`)
      .join(', ')}` +
      (durationMs ? ` for ${durationMs / 1000} s` : ' until Ctrl-C'),
  );

  const started = Date.now();
  let nextProgress = started + progressMs;
  while (!stopping) {
    const now = Date.now();
    const elapsed = now - started;
    if (durationMs && elapsed >= durationMs) break;
    const topicMessages = active.flatMap(s => {
      // At most one second's worth per round: after a slow send the backlog is caught up gradually.
      const due = Math.min(
        Math.floor((s.rate * elapsed) / 1000) - s.sent,
        Math.ceil(s.rate),
      );
      if (due <= 0) return [];
      s.sent += due;
      return [
        {
          topic: s.topic,
          messages: Array.from({ length: due }, () => s.make(random, now)),
        },
      ];
    });
    if (topicMessages.length > 0) await producer.sendBatch({ topicMessages });
    if (now >= nextProgress) {
      console.log(
        `demo-traffic: ${Math.round(elapsed / 1000)} s: ${summary(elapsed)}`,
      );
      nextProgress += progressMs;
    }
    await sleep(100);
  }
  await producer.disconnect();
  console.log(
    `demo-traffic: stopped after ${Math.round(
      (Date.now() - started) / 1000,
    )} s: ${summary(Date.now() - started)}`,
  );
}

main().catch(async error => {
  console.error(
    `demo-traffic: ${error instanceof Error ? error.message : String(error)}`,
  );
  await producer.disconnect().catch(() => undefined);
  process.exit(1);
});
