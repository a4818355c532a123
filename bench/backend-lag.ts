/**
 * The streaming backend under load on a local broker, against baselines
 * measured in the same run.
 *
 * Arranges, on a broker instance of its own (`scripts/kafka.sh --instance
 * bench`): N pipelines, each reading its own topic of P partitions; G of them
 * are consumer-group pipelines (committed offsets), the others Spark
 * pipelines with D days of progress history in the plugin's SQLite database.
 * Then prints:
 *
 * 1. one full refresh of every topic's offsets and every group's commits:
 *    time, requests and sequential round trips per broker (from kafkajs'
 *    request events), for the backend's poller (with the groups'
 *    coordinators looked up, then cached) and for the public kafkajs admin
 *    API (`fetchTopicOffsets` per topic, `fetchOffsets` per group) as the
 *    baseline;
 * 2. p50/p95 of `GET /overview` and of `GET .../lag` (one pipeline, and all
 *    Spark pipelines in turn) under C concurrent clients, through HTTP on the
 *    real plugin, with the plugin's `GET /health` as the floor of the HTTP
 *    stack on this machine; the clients are autocannon's, in a process of
 *    their own (`lib/httpLoad.ts`), and the server's busy time per request is
 *    printed;
 * 3. `@backstage-community/plugin-kafka-backend` (a root devDependency), mounted
 *    in the same backend: p50/p95 of its per-group offsets route under C clients,
 *    and the time to read all G groups through it (what a dashboard needs),
 *    against one `/overview` (which covers all N pipelines);
 * 4. the process's memory: before the backend starts (baseline), after the
 *    first refresh, after each load run (RSS, and heap used after a GC: what
 *    the run left live), after the load.
 *
 * Run from the repository root, with the project's Node (`. scripts/toolchain.sh`):
 *   node --expose-gc node_modules/.bin/sucrase-node bench/backend-lag.ts \
 *     [--pipelines 1000] [--partitions 12] [--groups 200] [--clients 50] \
 *     [--requests 60] [--history-days 7] [--batch-minutes 60]
 * The broker instance is left running for the next run
 * (`scripts/kafka.sh stop --instance bench` to stop it).
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import knexFactory from 'knex';
import { Kafka, logLevel } from 'kafkajs';
import communityKafkaPlugin from '@backstage-community/plugin-kafka-backend/alpha';
import { streamingPlugin } from '../plugins/streaming-backend/src/plugin';
import { readStreamingConfig } from '../plugins/streaming-backend/src/config/StreamingConfig';
import { KafkaOffsetsPoller } from '../plugins/streaming-backend/src/services/KafkaOffsets/KafkaOffsetsPoller';
import {
  BrokerRequests,
  brokerRequests,
  RequestEvent,
} from '../plugins/streaming-backend/src/services/KafkaOffsets/brokerRequests';
import { DatabaseProgressStore } from '../plugins/streaming-backend/src/services/ProgressStore/DatabaseProgressStore';
import { parseProgressRecord } from '../plugins/streaming-backend/src/services/ProgressStore/progressEvent';
import { progressEvent } from '../plugins/streaming-backend/src/__testUtils__/progressEvents';
import { pipelineEntity } from '../plugins/streaming-backend/src/__testUtils__/testEntities';
import { httpLoader, LoadResult } from './lib/httpLoad';
import { benchOptions } from './lib/benchOptions';

const options = benchOptions(
  {
    pipelines: 1000,
    partitions: 12,
    groups: 200,
    clients: 50,
    requests: 60,
    'history-days': 7,
    'batch-minutes': 60,
  },
  ['no-admin-baseline'],
);
const pipelines = options.pipelines;
const partitions = options.partitions;
const groups = Math.min(options.groups, pipelines);
/** The backend's lag.pollInterval: the overview's snapshot is refreshed once older. */
const POLL_INTERVAL_MS = 30_000;
const clients = options.clients;
const requestsPerClient = options.requests;
const historyDays = options['history-days'];
const batchMinutes = options['batch-minutes'];

const root = path.resolve(__dirname, '..');
const workDir = path.join(root, '.cache/bench/backend-lag', String(Date.now()));
const pad = (i: number) => String(i).padStart(4, '0');
const topicOf = (i: number) => `bench-topic-${pad(i)}`;
const pipelineOf = (i: number) => `bench-pipeline-${pad(i)}`;
const groupOf = (i: number) => `bench-group-${pad(i)}`;
const MESSAGES_PER_PARTITION = 20;
/** A signed-in user, as the test backend's auth accepts it: every route needs one. */
const AUTHORIZATION = mockCredentials.user.header('user:default/bench');
const COMMITTED = 5;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function memory(label: string) {
  (global as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  console.log(`memory ${label}: rss ${mb(rss)}, heap used ${mb(heapUsed)}`);
  return { rss, heapUsed };
}

async function arrangeBroker(broker: string) {
  const kafka = new Kafka({
    brokers: [broker],
    clientId: 'bench',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const wanted = Array.from({ length: pipelines }, (_, i) => topicOf(i));
  const missing = wanted.filter(t => !existing.has(t));
  for (let i = 0; i < missing.length; i += 50) {
    await admin.createTopics({
      topics: missing.slice(i, i + 50).map(topic => ({
        topic,
        numPartitions: partitions,
        replicationFactor: 1,
      })),
      waitForLeaders: false,
      timeout: 120_000,
    });
  }
  for (let round = 0; ; round++) {
    const present = new Set(await admin.listTopics());
    if (wanted.every(t => present.has(t))) break;
    if (round > 120) throw new Error('the broker did not create every topic');
    await new Promise(r => setTimeout(r, 1000));
  }
  // A restarted broker loads its partitions for a while (and names leaders
  // before they host them): wait until every partition answers for its
  // offsets, asked by the backend's poller (one request per broker; kafkajs'
  // admin asks per topic and refreshes every topic's metadata each time).
  const poller = offsetsPoller(broker);
  poller.retain(
    wanted.map(topic => ({ cluster: 'bench', topics: [topic], groups: [] })),
  );
  for (let round = 0; ; round++) {
    if ((await poller.pollCluster('bench')).ok) break;
    if (round > 120) {
      throw new Error('the topics still do not all answer for offsets');
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  await poller.close();
  if (missing.length > 0) {
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    for (let i = 0; i < wanted.length; i += 20) {
      await producer.sendBatch({
        topicMessages: wanted.slice(i, i + 20).map(topic => ({
          topic,
          messages: Array.from(
            { length: partitions * MESSAGES_PER_PARTITION },
            (_, m) => ({
              partition: m % partitions,
              value: `{"n":${m}}`,
            }),
          ),
        })),
      });
    }
    await producer.disconnect();
  }
  // Committing joins each group once (slow): only groups without commits, 20 at a time.
  const uncommitted: number[] = [];
  for (let g = 0; g < groups; g++) {
    const [committed] = await admin.fetchOffsets({
      groupId: groupOf(g),
      topics: [topicOf(g)],
    });
    if (committed.partitions.some(p => p.offset !== String(COMMITTED))) {
      uncommitted.push(g);
    }
  }
  for (let i = 0; i < uncommitted.length; i += 20) {
    await Promise.all(
      uncommitted.slice(i, i + 20).map(g =>
        admin.setOffsets({
          groupId: groupOf(g),
          topic: topicOf(g),
          partitions: Array.from({ length: partitions }, (_, partition) => ({
            partition,
            offset: String(COMMITTED),
          })),
        }),
      ),
    );
  }
  await admin.disconnect();
  console.log(
    `broker: ${pipelines} topics x ${partitions} partitions (${missing.length} created), ${groups} groups`,
  );
}

/** Topics the bench asks kafkajs for at once. */
const ADMIN_CONCURRENCY = 500;

/**
 * `fn` of every item, at most ADMIN_CONCURRENCY at once: with thousands in
 * flight, kafkajs gives up waiting for its metadata lock (KafkaJSLockTimeout).
 */
async function settledInBatches<T, R>(
  items: T[],
  fn: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = [];
  for (let i = 0; i < items.length; i += ADMIN_CONCURRENCY) {
    results.push(
      ...(await Promise.allSettled(
        items.slice(i, i + ADMIN_CONCURRENCY).map(fn),
      )),
    );
  }
  return results;
}

/** The public kafkajs admin API, as a generic Kafka backend uses it: the baseline of a full refresh. */
async function adminRefresh(broker: string) {
  let events: RequestEvent[] = [];
  const admin = new Kafka({
    brokers: [broker],
    clientId: 'bench-admin',
    logLevel: logLevel.NOTHING,
    // Each topic asked joins kafkajs' target topics, whose lock times out
    // after requestTimeout (30 s) while 10,000 topics' metadata is refreshed:
    // the baseline is given the time it needs rather than failing.
    requestTimeout: 300_000,
  }).admin();
  admin.on(admin.events.REQUEST, ({ payload }) => events.push(payload));
  await admin.connect();
  const run = async () => {
    const answers = await settledInBatches(
      Array.from({ length: pipelines }, (_, i) => topicOf(i)),
      t => admin.fetchTopicOffsets(t),
    );
    const failed = answers.find(a => a.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    await Promise.all(
      Array.from({ length: groups }, (_, g) =>
        admin.fetchOffsets({ groupId: groupOf(g), topics: [topicOf(g)] }),
      ),
    );
  };
  await run();
  events = [];
  const started = performance.now();
  await run();
  const elapsed = performance.now() - started;
  await admin.disconnect();
  return { elapsed, requests: brokerRequests(events) };
}

/** The backend's offsets poller for the bench broker (cluster `bench`). */
function offsetsPoller(broker: string): KafkaOffsetsPoller {
  const logger = mockServices.rootLogger({ level: 'error' });
  const config = readStreamingConfig(
    new ConfigReader({
      streaming: {
        kafka: { clusters: [{ name: 'bench', brokers: [broker] }] },
      },
    }),
    logger,
  );
  return new KafkaOffsetsPoller(config, logger);
}

/**
 * The backend's poller: a poll that looks every group's coordinator up (on
 * connections already open), then a poll with the coordinators cached.
 */
async function pollerRefresh(broker: string) {
  const poller = offsetsPoller(broker);
  const timed = async () => {
    const started = performance.now();
    const report = await poller.pollCluster('bench');
    const elapsed = performance.now() - started;
    if (!report.ok) throw new Error('the poller could not read everything');
    return { elapsed, requests: report.requests };
  };
  // One topic per pipeline, then one consumer group per group pipeline.
  const topicUses = Array.from({ length: pipelines }, (_, i) => ({
    cluster: 'bench',
    topics: [topicOf(i)],
    groups: [],
  }));
  poller.retain(topicUses);
  await timed();
  poller.retain([
    ...topicUses,
    ...Array.from({ length: groups }, (_, g) => ({
      cluster: 'bench',
      topics: [],
      groups: [groupOf(g)],
    })),
  ]);
  const lookup = await timed();
  const cached = await timed();
  await poller.close();
  return { lookup, cached };
}

async function fillHistory(store: DatabaseProgressStore, latestOffset: number) {
  const now = Date.now();
  const perPipeline = Math.floor((historyDays * 24 * 60) / batchMinutes);
  let rows = 0;
  for (let i = groups; i < pipelines; i++) {
    const name = pipelineOf(i);
    const entries = [];
    for (let b = 0; b < perPipeline; b++) {
      const end = Object.fromEntries(
        Array.from({ length: partitions }, (_, p) => [
          p,
          b === perPipeline - 1 ? latestOffset - (p % 3) : 0,
        ]),
      );
      const parsed = parseProgressRecord(
        name,
        JSON.stringify(
          progressEvent({
            name,
            batchId: b,
            topic: topicOf(i),
            timestamp: new Date(
              now - (perPipeline - 1 - b) * batchMinutes * 60_000 - 10_000,
            ),
            endOffsets: end,
            startOffsets: end,
            numInputRows: 1000,
          }),
        ),
      );
      if (parsed.kind === 'ok')
        entries.push({ queryName: name, batch: parsed.batch });
    }
    rows += await store.addBatches(entries);
  }
  console.log(
    `history: ${rows} micro-batches (${historyDays} days, one every ${batchMinutes} min, ${
      pipelines - groups
    } Spark pipelines)`,
  );
}

async function main() {
  fs.mkdirSync(workDir, { recursive: true });
  const base = memory('before the backend (baseline)');
  execFileSync(
    path.join(root, 'scripts/kafka.sh'),
    ['start', '--instance', 'bench', '--port', '19392'],
    // A kept instance holds every topic of the last run: recovering 10,000
    // partitions takes minutes on a small machine.
    {
      stdio: 'inherit',
      env: { KAFKA_START_TIMEOUT: '900', ...process.env },
    },
  );
  const broker = execFileSync(path.join(root, 'scripts/kafka.sh'), [
    'address',
    '--instance',
    'bench',
  ])
    .toString()
    .trim();
  await arrangeBroker(broker);

  // kafkajs' admin API refreshes the metadata of every topic it has been
  // asked about before each request: at 10,000 topics its refresh takes
  // hours, so the overview's figures can be had without it.
  const admin = options['no-admin-baseline']
    ? undefined
    : await adminRefresh(broker);
  const ours = await pollerRefresh(broker);
  const perBroker = (requests: Record<string, BrokerRequests>) =>
    Object.entries(requests)
      .map(([address, r]) => {
        const { atLeast, atMost } = r.roundTrips;
        const trips = atLeast === atMost ? `${atMost}` : `${atLeast}-${atMost}`;
        const apis = Object.entries(r.byApi)
          .map(([api, n]) => `${api}: ${n}`)
          .join(', ');
        return `${address}: ${r.total} requests in ${trips} sequential round trips (${apis})`;
      })
      .join('; ');
  const total = (requests: Record<string, BrokerRequests>) =>
    Object.values(requests).reduce((sum, r) => sum + r.total, 0);
  const trips = (
    requests: Record<string, BrokerRequests>,
    bound: 'atLeast' | 'atMost',
  ) => Math.max(...Object.values(requests).map(r => r.roundTrips[bound]));
  console.log(
    `full refresh, streaming poller, coordinators looked up: ${ms(
      ours.lookup.elapsed,
    )}; per broker ${perBroker(ours.lookup.requests)}`,
  );
  console.log(
    `full refresh, streaming poller, coordinators cached:    ${ms(
      ours.cached.elapsed,
    )}; per broker ${perBroker(ours.cached.requests)}`,
  );
  console.log(
    `  round trips come from kafkajs' request events, timed in whole milliseconds: a range (a-b) where a request went out in the millisecond another was answered`,
  );
  if (!admin) {
    console.log(
      '  kafkajs admin API baseline not run (--no-admin-baseline): no refresh ratio',
    );
  } else {
    console.log(
      `full refresh, kafkajs admin API (baseline): ${ms(
        admin.elapsed,
      )}; per broker ${perBroker(admin.requests)}`,
    );
    const fewerTrips = [
      trips(admin.requests, 'atLeast') / trips(ours.cached.requests, 'atMost'),
      trips(admin.requests, 'atMost') / trips(ours.cached.requests, 'atLeast'),
    ].map(ratio => ratio.toFixed(1));
    console.log(
      `  ratio (cached): ${(admin.elapsed / ours.cached.elapsed).toFixed(
        1,
      )}x faster, ${(
        total(admin.requests) / total(ours.cached.requests)
      ).toFixed(1)}x fewer requests, ${[...new Set(fewerTrips)].join(
        '-',
      )}x fewer round trips; poller: at most ${trips(
        ours.cached.requests,
        'atMost',
      )} round trips per broker (${trips(
        ours.lookup.requests,
        'atMost',
      )} with coordinator lookups)`,
    );
  }

  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(workDir, 'streaming.sqlite') },
    useNullAsDefault: true,
  });
  const store = await DatabaseProgressStore.create({
    database: mockServices.database({ knex }),
  });
  await fillHistory(store, MESSAGES_PER_PARTITION);

  const entities: Entity[] = Array.from({ length: pipelines }, (_, i) =>
    pipelineEntity({
      name: pipelineOf(i),
      topic: topicOf(i),
      cluster: 'bench',
      consumerGroups: i < groups ? groupOf(i) : undefined,
    }),
  );
  const backend = await startTestBackend({
    features: [
      streamingPlugin,
      communityKafkaPlugin,
      mockServices.rootConfig.factory({
        data: {
          streaming: {
            kafka: { clusters: [{ name: 'bench', brokers: [broker] }] },
            lag: { pollInterval: { milliseconds: POLL_INTERVAL_MS } },
            cost: { rates: { default: { coreHour: 0.048, gbHour: 0.0065 } } },
          },
          kafka: {
            clientId: 'bench-community',
            clusters: [{ name: 'bench', brokers: [broker] }],
          },
        },
      }),
      mockServices.database.factory({ knex }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalogServiceMock({ entities }),
      }),
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => mockServices.scheduler(),
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const api = `http://127.0.0.1:${port}/api`;

  const first = performance.now();
  const firstResponse = await fetch(`${api}/streaming/overview`, {
    headers: { Authorization: AUTHORIZATION },
  });
  if (!firstResponse.ok) {
    throw new Error(
      `/overview answered ${
        firstResponse.status
      }: ${await firstResponse.text()}`,
    );
  }
  const overview = await firstResponse.json();
  console.log(
    `first /overview (registers and reads every topic and group): ${ms(
      performance.now() - first,
    )}; ${overview.totals.pipelines} pipelines, ${
      overview.totals.totalLagMessages
    } messages of lag, ${overview.errors.length} errors`,
  );
  const body = Buffer.from(JSON.stringify(overview));
  console.log(
    `  its answer: ${(body.length / 1024).toFixed(0)} KiB of JSON, ${(
      zlib.gzipSync(body).length / 1024
    ).toFixed(0)} KiB gzipped`,
  );
  const firstPage = Buffer.from(
    await (
      await fetch(`${api}/streaming/overview?limit=20`, {
        headers: { Authorization: AUTHORIZATION },
      })
    ).arrayBuffer(),
  );
  console.log(
    `  one page of 20: ${(firstPage.length / 1024).toFixed(1)} KiB of JSON`,
  );
  const afterRefresh = memory('after the first refresh');

  const lagUrl = (i: number) =>
    `${api}/streaming/pipelines/default/${pipelineOf(i)}/lag`;
  const sparkPipelines = Array.from(
    { length: pipelines - groups },
    (_, k) => groups + k,
  );
  const runs: Array<[string, string[], boolean?]> = [
    [
      'GET /health (the framework floor: no auth, no work)',
      [`${api}/streaming/health`],
    ],
    [
      'GET /overview (no limit: the largest page, streaming.overview.maxPageSize)',
      [`${api}/streaming/overview`],
    ],
    [
      'GET /overview?limit=20 (the page as it opens)',
      [`${api}/streaming/overview?limit=20`],
    ],
    [
      'GET /overview, 50 pages of 20 sorted by lag, descending, in turn',
      Array.from(
        { length: 50 },
        (_, k) =>
          `${api}/streaming/overview?offset=${
            k * 20
          }&limit=20&sort=lag&order=desc`,
      ),
    ],
    [
      'GET /overview, filtered by health and text, sorted by throughput',
      [
        `${api}/streaming/overview?limit=20&health=ok&health=unknown&health=stale&q=pipeline-00&sort=throughput`,
      ],
    ],
    [
      'GET /overview, revalidating (If-None-Match, as a browser cache)',
      [`${api}/streaming/overview`],
      true,
    ],
    ['GET /pipelines/.../lag (one Spark pipeline)', [lagUrl(pipelines - 1)]],
    ['GET /pipelines/.../lag (one consumer-group pipeline)', [lagUrl(0)]],
    [
      `GET /pipelines/.../lag (the ${sparkPipelines.length} Spark pipelines in turn)`,
      sparkPipelines.map(lagUrl),
    ],
    [
      'community GET /kafka/consumers/:cluster/:group/offsets (groups in turn)',
      Array.from(
        { length: groups },
        (_, g) => `${api}/kafka/consumers/bench/${groupOf(g)}/offsets`,
      ),
    ],
  ];
  const loader = httpLoader();
  // Warms the HTTP stack and the clients up (JIT) before anything is measured.
  await loader.load({
    urls: runs[0][1],
    clients,
    requestsPerClient,
    authorization: AUTHORIZATION,
  });
  const report = (label: string, result: LoadResult, revalidate?: boolean) => {
    // After the run, outside its measured time: what the run left live on the heap.
    (global as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    console.log(
      `${label}, ${clients} clients: p50 ${ms(result.p50)}, p95 ${ms(
        result.p95,
      )}, ${result.rate.toFixed(0)} requests/s, server busy ${ms(
        result.serverMsPerRequest,
      )} per request, longest event-loop stall ${ms(result.longestStallMs)} (${
        result.n
      } requests${
        revalidate ? `, ${result.notModified} answered 304` : ''
      }); server rss ${mb(rss)}, heap used after GC ${mb(heapUsed)}`,
    );
  };
  const results: LoadResult[] = [];
  for (const [label, urls, revalidate] of runs) {
    const result = await loader.load({
      urls,
      clients,
      requestsPerClient,
      revalidate,
      authorization: AUTHORIZATION,
    });
    results.push(result);
    report(label, result, revalidate);
  }
  // The overview's background refresh under load, on purpose: once the
  // snapshot is older than lag.pollInterval, the run's first request starts
  // a refresh of all pipelines while the pages are answered from the old
  // snapshot. Four times the requests, so the run outlasts the refresh.
  await new Promise(r => setTimeout(r, POLL_INTERVAL_MS + 1000));
  report(
    `GET /overview?limit=20 while the overview refreshes (${pipelines} pipelines)`,
    await loader.load({
      urls: [`${api}/streaming/overview?limit=20`],
      clients,
      requestsPerClient: requestsPerClient * 4,
      authorization: AUTHORIZATION,
    }),
  );
  loader.close();
  const [, overviewLoad, pageLoad, , , , , groupLagLoad, , communityLoad] =
    results;
  console.log(
    `  ratio: one page of 20 vs the largest page (of ${pipelines} pipelines): p95 ${ms(
      pageLoad.p95,
    )} vs ${ms(overviewLoad.p95)}, ${(overviewLoad.p95 / pageLoad.p95).toFixed(
      1,
    )}x`,
  );
  const allGroups = performance.now();
  for (let g = 0; g < groups; g += clients) {
    await Promise.all(
      Array.from({ length: Math.min(clients, groups - g) }, (_, k) =>
        fetch(`${api}/kafka/consumers/bench/${groupOf(g + k)}/offsets`, {
          headers: { Authorization: AUTHORIZATION },
        }).then(r => r.arrayBuffer()),
      ),
    );
  }
  const allGroupsMs = performance.now() - allGroups;
  console.log(
    `community: lag of all ${groups} groups (${clients} at a time): ${ms(
      allGroupsMs,
    )}`,
  );
  console.log(
    `  ratio: one /overview (all ${pipelines} pipelines) is ${(
      allGroupsMs / overviewLoad.p50
    ).toFixed(1)}x faster (p50), ${(allGroupsMs / overviewLoad.p95).toFixed(
      1,
    )}x (p95)`,
  );
  console.log(
    `  ratio: one pipeline's lag p95 vs one group through the community plugin p95: ${(
      communityLoad.p95 / groupLagLoad.p95
    ).toFixed(1)}x`,
  );

  const after = memory('after the load');
  console.log(
    `memory over baseline: rss +${mb(
      after.rss - base.rss,
    )} (after first refresh +${mb(afterRefresh.rss - base.rss)}), heap +${mb(
      after.heapUsed - base.heapUsed,
    )}`,
  );
  await backend.stop();
  await knex.destroy();
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
