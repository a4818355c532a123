/* eslint-disable @typescript-eslint/no-require-imports */
import { Admin, Kafka } from 'kafkajs';
import { KafkaClusterConfig } from '../../config/StreamingConfig';
import { kafkaClientOptions } from './kafkaClientOptions';

/**
 * kafkajs' public admin API sends one ListOffsets per topic and fails a whole
 * Metadata answer when one partition has no leader. This client uses the same
 * kafkajs connections (TLS, SASL, retries) one level lower, so that one poll
 * of a cluster is one Metadata request plus two ListOffsets requests (latest,
 * earliest) per leader broker, and per-partition errors stay per partition.
 * kafkajs 2.2.4 is the final release; its internals below do not move.
 */
const KafkaJsCluster = require('kafkajs/src/cluster');
const { createLogger, LEVELS } = require('kafkajs/src/loggers');
const createSocketFactory = require('kafkajs/src/network/socketFactory');
const InstrumentationEventEmitter = require('kafkajs/src/instrumentation/emitter');
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys');
const { requests } = require('kafkajs/src/protocol/requests');

const LATEST = -1;
const EARLIEST = -2;
const READ_UNCOMMITTED = 0;

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

interface LenientBroker {
  lookupRequest(apiKey: number, definition: unknown): (args: object) => any;
  connectionPool: { send(request: object): Promise<any> };
}

interface KafkaJsClusterInstance {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findBroker(options: { nodeId: string }): Promise<LenientBroker>;
  brokerPool: {
    withBroker<T>(
      fn: (args: { broker: LenientBroker }) => Promise<T>,
    ): Promise<T>;
  };
}

/**
 * Sends a request and returns the decoded answer without kafkajs' all-or-nothing
 * error check, so errors are read per topic and partition.
 */
async function sendLenient(
  broker: LenientBroker,
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
 */
export class KafkaClusterClient {
  private readonly cluster: KafkaJsClusterInstance;
  private readonly admin: Admin;
  private connected?: Promise<void>;
  private readonly requestCounts = new Map<string, number>();

  constructor(readonly config: KafkaClusterConfig) {
    const options = kafkaClientOptions(config);
    const count = (event: { payload: { broker: string } }) => {
      const broker = event.payload.broker;
      this.requestCounts.set(broker, (this.requestCounts.get(broker) ?? 0) + 1);
    };
    const emitter = new InstrumentationEventEmitter();
    emitter.addListener('network.request', count);
    this.cluster = new KafkaJsCluster({
      ...options,
      connectionTimeout: options.connectionTimeout,
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
    this.admin = new Kafka({ ...options, logLevel: 0 }).admin();
    this.admin.on(this.admin.events.REQUEST, count);
  }

  private async ensureConnected(): Promise<void> {
    if (!this.connected) {
      this.connected = Promise.all([
        this.cluster.connect(),
        this.admin.connect(),
      ]).then(() => undefined);
      this.connected.catch(() => {
        this.connected = undefined;
      });
    }
    await this.connected;
  }

  /** Requests sent per broker (`host:port`) since the last call; resets the counts. */
  takeRequestCounts(): Record<string, number> {
    const counts = Object.fromEntries(this.requestCounts);
    this.requestCounts.clear();
    return counts;
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
    // Broker addresses only (a Metadata request without topics), every few minutes.
    await this.cluster.refreshMetadataIfNecessary();
    const response = await this.cluster.brokerPool.withBroker(({ broker }) =>
      sendLenient(broker, apiKeys.Metadata, requests.Metadata, {
        topics,
        allowAutoTopicCreation: false,
      }),
    );
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

  private async findBroker(nodeId: number): Promise<LenientBroker> {
    try {
      return await this.cluster.findBroker({ nodeId: String(nodeId) });
    } catch {
      await this.cluster.refreshMetadata();
      return this.cluster.findBroker({ nodeId: String(nodeId) });
    }
  }

  /** Committed offsets of consumer groups: topic -> partition -> offset (-1: none). */
  async groupOffsets(
    groupId: string,
  ): Promise<Map<string, Map<number, string>>> {
    await this.ensureConnected();
    const answer = await this.admin.fetchOffsets({ groupId });
    return new Map(
      answer.map(t => [
        t.topic,
        new Map(t.partitions.map(p => [p.partition, p.offset])),
      ]),
    );
  }

  async close(): Promise<void> {
    this.connected = undefined;
    await Promise.allSettled([
      this.cluster.disconnect(),
      this.admin.disconnect(),
    ]);
  }
}
