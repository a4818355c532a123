import { Admin, Kafka } from 'kafkajs';
import { KafkaClusterConfig } from '../../config/StreamingConfig';
import { kafkaClientOptions } from './kafkaClientOptions';
import { BrokerRequests, brokerRequests, RequestEvent } from './brokerRequests';
import {
  FIND_COORDINATOR,
  findCoordinatorRequest,
  GroupOffsets,
  kafkaErrorName,
  OFFSET_FETCH,
  offsetFetchRequest,
  offsetMap,
  ProtocolRequest,
  readOffsetFetchAnswer,
  supportsVersion,
} from './groupOffsetRequests';
import {
  apiKeys,
  Cluster,
  createLogger,
  createSocketFactory,
  InstrumentationEventEmitter,
  KafkaJsBroker,
  KafkaJsCluster,
  LEVELS,
  requests,
} from './kafkajsInternals';

const LATEST = -1;
const EARLIEST = -2;
const READ_UNCOMMITTED = 0;
const READ_COMMITTED = 1;
/** The replica id of a consumer (not a follower broker) in Fetch requests. */
const CONSUMER_REPLICA_ID = -1;

/** A topic of a cluster and its partition count. */
export interface TopicSummary {
  name: string;
  partitions: number;
}

/** One partition as the cluster's metadata describes it. */
export interface PartitionMetadata {
  partition: number;
  /** null when the partition has no leader. */
  leader: number | null;
  replicas: number[];
  isr: number[];
  errorCode: number;
}

/** Offsets of one partition; missing when its leader could not answer. */
export interface PartitionOffsets {
  earliest?: string;
  latest?: string;
  error?: string;
}

/**
 * How each group's committed offsets are read in this poll: from its
 * coordinator in a batch, one by one through the admin API (brokers older
 * than Kafka 3.0), or not at all (its coordinator could not be found).
 */
export type GroupRoutes = Map<
  string,
  { coordinator: number } | { perGroup: true } | { error: string }
>;

/** Where to read one partition from (see {@link KafkaClusterClient.fetch}). */
export interface FetchPosition {
  partition: number;
  leader: number;
  /** The first offset to read. */
  offset: bigint;
}

/** A record read by {@link KafkaClusterClient.fetch}. */
export interface FetchedRecord {
  offset: bigint;
  value: Buffer | null;
}

/** Records read from one partition, or why its leader gave none. */
export type FetchedPartition = { records: FetchedRecord[] } | { error: string };

/** Options of a {@link KafkaClusterClient}. */
export interface KafkaClusterClientOptions {
  /**
   * `per-group` reads committed offsets with a FindCoordinator and an
   * OffsetFetch per group, as with brokers that lack FindCoordinator v4 and
   * OffsetFetch v8; `batched` (the default) uses those versions wherever the
   * brokers announce them.
   */
  groupOffsets?: 'batched' | 'per-group';
}

/**
 * Sends a request and returns the decoded answer without kafkajs' all-or-nothing
 * error check, so errors are read per topic and partition.
 */
async function sendLenient(
  broker: KafkaJsBroker,
  apiKey: number,
  definition: unknown,
  args: object,
): Promise<any> {
  const protocolRequest = broker.lookupRequest(apiKey, definition)(args);
  return broker.connectionPool.send({
    ...protocolRequest,
    response: {
      ...protocolRequest.response,
      parse: async (data: unknown) => data,
    },
  });
}

/**
 * The connections of the backend to one Kafka cluster, opened once: topic
 * metadata and offsets in batched requests, committed group offsets.
 *
 * kafkajs' public admin API sends one ListOffsets per topic, fails a whole
 * Metadata answer when one partition has no leader, and reads committed
 * offsets with a FindCoordinator and an OffsetFetch per group. This client
 * uses the same kafkajs connections (TLS, SASL, retries) one level lower, so
 * that one poll of a cluster is two waves of requests: Metadata (and
 * FindCoordinator v4 for groups whose coordinator is not known yet), then two
 * ListOffsets requests (latest, earliest) per leader broker and one
 * OffsetFetch v8 per coordinator broker. Errors stay per partition and per
 * group. The kafkajs internals it uses are all in `kafkajsInternals`.
 */
export class KafkaClusterClient {
  private readonly cluster: KafkaJsCluster;
  private readonly admin: Admin;
  private connected?: Promise<void>;
  private requests: RequestEvent[] = [];
  /** Coordinator broker (node id) of each group, kept until it moves or goes away. */
  private readonly coordinators = new Map<string, number>();
  private readonly batchedGroups: boolean;

  constructor(
    readonly config: KafkaClusterConfig,
    options: KafkaClusterClientOptions = {},
  ) {
    this.batchedGroups = (options.groupOffsets ?? 'batched') === 'batched';
    const clientOptions = kafkaClientOptions(config);
    const record = ({ payload }: { payload: RequestEvent }) => {
      this.requests.push({
        broker: payload.broker,
        apiName: payload.apiName,
        apiVersion: payload.apiVersion,
        sentAt: payload.sentAt,
        duration: payload.duration,
      });
    };
    const emitter = new InstrumentationEventEmitter();
    emitter.addListener('network.request', record);
    this.cluster = new Cluster({
      ...clientOptions,
      connectionTimeout: clientOptions.connectionTimeout,
      logger: createLogger({
        level: LEVELS.NOTHING,
        logCreator: () => () => undefined,
      }),
      socketFactory: createSocketFactory(),
      metadataMaxAge: 300_000,
      allowAutoTopicCreation: false,
      isolationLevel: READ_UNCOMMITTED,
      instrumentationEmitter: emitter,
    });
    this.admin = new Kafka({ ...clientOptions, logLevel: 0 }).admin();
    this.admin.on(this.admin.events.REQUEST, record);
  }

  private async ensureConnected(): Promise<void> {
    if (!this.connected) {
      this.connected = Promise.all([
        // The brokers' addresses, so that every later request can go out at once.
        this.cluster.connect().then(() => this.cluster.refreshMetadata()),
        this.admin.connect(),
      ]).then(() => undefined);
      this.connected.catch(() => {
        this.connected = undefined;
      });
    }
    await this.connected;
  }

  /**
   * Requests answered per broker (`host:port`) since the last call, per API,
   * with the sequential round trips they took; starts counting afresh.
   */
  takeRequests(): Record<string, BrokerRequests> {
    const events = this.requests;
    this.requests = [];
    return brokerRequests(events);
  }

  /** Runs a request on any broker of the cluster that answers. */
  private async anyBroker<T>(
    send: (broker: KafkaJsBroker) => Promise<T>,
  ): Promise<T> {
    let failure: unknown = new Error('No broker of the cluster answered');
    const answer = await this.cluster.brokerPool.withBroker(
      async ({ broker }) => {
        try {
          return { value: await send(broker) };
        } catch (error) {
          failure = error;
          throw error;
        }
      },
    );
    if (!answer) throw failure;
    return answer.value;
  }

  /** Every topic of the cluster with its partition count (one metadata call). */
  async listTopics(): Promise<TopicSummary[]> {
    await this.ensureConnected();
    const { topics } = await this.admin.fetchTopicMetadata();
    return topics.map(t => ({ name: t.name, partitions: t.partitions.length }));
  }

  /**
   * Metadata of the given topics in one request. Topics that do not exist are
   * missing from the answer.
   */
  async metadata(topics: string[]): Promise<Map<string, PartitionMetadata[]>> {
    await this.ensureConnected();
    const [response] = await Promise.all([
      this.anyBroker(broker =>
        sendLenient(broker, apiKeys.Metadata, requests.Metadata, {
          topics,
          allowAutoTopicCreation: false,
        }),
      ),
      // Broker addresses (a Metadata request without topics), every few minutes, alongside.
      this.cluster.refreshMetadataIfNecessary(),
    ]);
    const result = new Map<string, PartitionMetadata[]>();
    for (const topic of response.topicMetadata as any[]) {
      // 3: UNKNOWN_TOPIC_OR_PARTITION
      if (topic.topicErrorCode === 3 || topic.partitionMetadata.length === 0) {
        continue;
      }
      result.set(
        topic.topic,
        (topic.partitionMetadata as any[])
          .map(p => ({
            partition: p.partitionId,
            leader:
              p.leader >= 0 && p.partitionErrorCode !== 5 ? p.leader : null,
            replicas: p.replicas,
            isr: p.isr,
            errorCode: p.partitionErrorCode,
          }))
          .sort((a, b) => a.partition - b.partition),
      );
    }
    return result;
  }

  /**
   * Earliest and latest offsets of every partition with a leader: two
   * ListOffsets requests per leader broker, sent in parallel. A broker that
   * fails leaves its partitions with an `error`.
   */
  async offsets(
    metadata: Map<string, PartitionMetadata[]>,
  ): Promise<Map<string, Map<number, PartitionOffsets>>> {
    await this.ensureConnected();
    const byLeader = new Map<number, Map<string, number[]>>();
    const result = new Map<string, Map<number, PartitionOffsets>>();
    for (const [topic, partitions] of metadata) {
      const offsets = new Map<number, PartitionOffsets>();
      result.set(topic, offsets);
      for (const p of partitions) {
        if (p.leader === null) {
          offsets.set(p.partition, { error: 'no leader' });
          continue;
        }
        const topics = byLeader.get(p.leader) ?? new Map<string, number[]>();
        byLeader.set(p.leader, topics);
        topics.set(topic, [...(topics.get(topic) ?? []), p.partition]);
        offsets.set(p.partition, {});
      }
    }
    await Promise.all(
      [...byLeader].map(async ([leader, topics]) => {
        try {
          const broker = await this.findBroker(leader);
          const [latest, earliest] = await Promise.all(
            [LATEST, EARLIEST].map(timestamp =>
              sendLenient(broker, apiKeys.ListOffsets, requests.ListOffsets, {
                replicaId: -1,
                isolationLevel: READ_UNCOMMITTED,
                topics: [...topics].map(([topic, partitions]) => ({
                  topic,
                  partitions: partitions.map(partition => ({
                    partition,
                    timestamp,
                  })),
                })),
              }),
            ),
          );
          for (const [which, response] of [
            ['latest', latest],
            ['earliest', earliest],
          ] as const) {
            for (const topic of response.responses as any[]) {
              for (const p of topic.partitions as any[]) {
                const entry = result.get(topic.topic)?.get(p.partition);
                if (!entry) continue;
                if (p.errorCode !== 0) {
                  entry.error = `ListOffsets error code ${p.errorCode}`;
                } else {
                  entry[which] = String(p.offset ?? p.offsets?.[0]);
                }
              }
            }
          }
        } catch (error) {
          for (const [topic, partitions] of topics) {
            for (const partition of partitions) {
              result.get(topic)!.set(partition, {
                error: `broker ${leader}: ${(error as Error).message}`,
              });
            }
          }
        }
      }),
    );
    return result;
  }

  /**
   * Reads records of a topic's partitions from their leaders, one Fetch
   * request per leader broker sent in parallel, without a consumer group
   * (so nothing is committed and no group is left behind). Each answer holds
   * at most about `maxBytes` per leader (Kafka returns a first record batch
   * even when it is larger), records at and after each position's offset,
   * committed transactions only, without control records. A leader that
   * fails (kafkajs fails its whole answer on one partition's error) gives
   * each of its partitions an `error`.
   */
  async fetch(
    topic: string,
    positions: FetchPosition[],
    maxBytes: number,
  ): Promise<Map<number, FetchedPartition>> {
    await this.ensureConnected();
    const byLeader = new Map<number, FetchPosition[]>();
    for (const position of positions) {
      byLeader.set(position.leader, [
        ...(byLeader.get(position.leader) ?? []),
        position,
      ]);
    }
    const result = new Map<number, FetchedPartition>();
    await Promise.all(
      [...byLeader].map(async ([leader, partitions]) => {
        try {
          const broker = await this.findBroker(leader);
          const answer = await broker.fetch({
            replicaId: CONSUMER_REPLICA_ID,
            isolationLevel: READ_COMMITTED,
            // Below the high watermark the broker answers at once.
            maxWaitTime: 100,
            minBytes: 1,
            maxBytes,
            topics: [
              {
                topic,
                partitions: partitions.map(p => ({
                  partition: p.partition,
                  fetchOffset: p.offset.toString(),
                  maxBytes,
                })),
              },
            ],
          });
          const first = new Map(partitions.map(p => [p.partition, p.offset]));
          for (const { partitions: answered } of answer.responses) {
            for (const p of answered) {
              const from = first.get(p.partition);
              if (from === undefined) continue;
              result.set(p.partition, {
                records: p.messages
                  .filter(m => !m.isControlRecord)
                  .map(m => ({ offset: BigInt(m.offset), value: m.value }))
                  // A batch starts before the asked offset when it began earlier.
                  .filter(m => m.offset >= from),
              });
            }
          }
        } catch (error) {
          for (const { partition } of partitions) {
            result.set(partition, {
              error: `broker ${leader}: ${(error as Error).message}`,
            });
          }
        }
      }),
    );
    return result;
  }

  private async findBroker(nodeId: number): Promise<KafkaJsBroker> {
    try {
      return await this.cluster.findBroker({ nodeId: String(nodeId) });
    } catch {
      await this.cluster.refreshMetadata();
      return this.cluster.findBroker({ nodeId: String(nodeId) });
    }
  }

  /** Drops the cached coordinators of groups that are no longer polled. */
  forgetGroups(groups: string[]): void {
    groups.forEach(group => this.coordinators.delete(group));
  }

  /**
   * First wave for consumer groups: the coordinators of groups not looked up
   * yet, in one FindCoordinator v4 request (none when all are known).
   * Coordinators are kept until a group's coordinator moves or goes away.
   */
  async findCoordinators(groups: string[]): Promise<GroupRoutes> {
    await this.ensureConnected();
    const routes: GroupRoutes = new Map();
    const unknown: string[] = [];
    for (const group of groups) {
      const coordinator = this.coordinators.get(group);
      if (!this.batchedGroups) routes.set(group, { perGroup: true });
      else if (coordinator !== undefined) routes.set(group, { coordinator });
      else unknown.push(group);
    }
    if (unknown.length === 0) return routes;
    try {
      const answer = await this.anyBroker(async broker =>
        supportsVersion(broker.versions, FIND_COORDINATOR)
          ? this.send(broker, findCoordinatorRequest(unknown))
          : undefined,
      );
      if (!answer) {
        unknown.forEach(group => routes.set(group, { perGroup: true }));
        return routes;
      }
      const found = new Map(answer.coordinators.map(c => [c.key, c]));
      for (const group of unknown) {
        const coordinator = found.get(group);
        if (!coordinator) {
          routes.set(group, { error: 'no coordinator in the answer' });
        } else if (coordinator.errorCode !== 0) {
          routes.set(group, {
            error: `FindCoordinator: ${kafkaErrorName(coordinator.errorCode)}`,
          });
        } else {
          this.coordinators.set(group, coordinator.nodeId);
          routes.set(group, { coordinator: coordinator.nodeId });
        }
      }
    } catch (error) {
      for (const group of unknown) {
        routes.set(group, {
          error: `FindCoordinator: ${(error as Error).message}`,
        });
      }
    }
    return routes;
  }

  /**
   * Second wave for consumer groups: every committed offset of the groups, in
   * one OffsetFetch v8 request per coordinator broker, sent in parallel; per
   * group through the admin API where the routes say so. Errors stay per group.
   */
  async groupOffsets(routes: GroupRoutes): Promise<Map<string, GroupOffsets>> {
    await this.ensureConnected();
    const result = new Map<string, GroupOffsets>();
    const byCoordinator = new Map<number, string[]>();
    const perGroup: string[] = [];
    for (const [group, route] of routes) {
      if ('error' in route) {
        result.set(group, { error: route.error });
      } else if ('coordinator' in route) {
        byCoordinator.set(route.coordinator, [
          ...(byCoordinator.get(route.coordinator) ?? []),
          group,
        ]);
      } else {
        perGroup.push(group);
      }
    }
    const answers = await Promise.all([
      ...[...byCoordinator].map(([nodeId, groups]) =>
        this.fetchFromCoordinator(nodeId, groups),
      ),
      this.fetchOneByOne(perGroup),
    ]);
    for (const answer of answers) {
      answer.forEach((offsets, group) => result.set(group, offsets));
    }
    return result;
  }

  private async fetchFromCoordinator(
    nodeId: number,
    groups: string[],
  ): Promise<Map<string, GroupOffsets>> {
    try {
      const broker = await this.findBroker(nodeId);
      if (!supportsVersion(broker.versions, OFFSET_FETCH)) {
        return this.fetchOneByOne(groups);
      }
      const answer = await this.send(broker, offsetFetchRequest(groups));
      const read = readOffsetFetchAnswer(answer, groups);
      read.moved.forEach(group => this.coordinators.delete(group));
      return read.groups;
    } catch (error) {
      // The coordinator went away: look the groups up again next time.
      groups.forEach(group => this.coordinators.delete(group));
      const message = `OffsetFetch from broker ${nodeId}: ${
        (error as Error).message
      }`;
      return new Map(groups.map(group => [group, { error: message }]));
    }
  }

  /** Group by group through the admin API: a FindCoordinator and an OffsetFetch each. */
  private async fetchOneByOne(
    groups: string[],
  ): Promise<Map<string, GroupOffsets>> {
    return new Map(
      await Promise.all(
        groups.map(async (groupId): Promise<[string, GroupOffsets]> => {
          try {
            const topics = await this.admin.fetchOffsets({ groupId });
            return [groupId, { offsets: offsetMap(topics) }];
          } catch (error) {
            return [groupId, { error: (error as Error).message }];
          }
        }),
      ),
    );
  }

  private send<T>(
    broker: KafkaJsBroker,
    request: ProtocolRequest<T>,
  ): Promise<T> {
    return broker.connectionPool.send(request);
  }

  async close(): Promise<void> {
    this.connected = undefined;
    await Promise.allSettled([
      this.cluster.disconnect(),
      this.admin.disconnect(),
    ]);
  }
}
