/* eslint-disable @typescript-eslint/no-require-imports */

/**
 * Every part of kafkajs below its public API that the offset source uses, in
 * one place: the cluster and its broker connections (TLS, SASL, retries)
 * without the admin client's all-or-nothing error checks, the Metadata and
 * ListOffsets request definitions, and the protocol Encoder and Decoder with
 * which `groupOffsetRequests` writes FindCoordinator v4 and OffsetFetch v8.
 * kafkajs does not export these, so its version is pinned exactly (every
 * package.json of the repository) and `kafkajsInternals.test.ts` fails,
 * naming what moved, when an upgrade changes any of them.
 */

/** The kafkajs release these internals were written against. */
export const KAFKAJS_VERSION = '2.2.4';

/** kafkajs' protocol Encoder (`kafkajs/src/protocol/encoder`), as used here. */
export interface KafkaEncoder {
  writeInt8(value: number): KafkaEncoder;
  writeInt16(value: number): KafkaEncoder;
  writeInt32(value: number): KafkaEncoder;
  writeUVarInt(value: number): KafkaEncoder;
  writeUVarIntString(value: string): KafkaEncoder;
  writeUVarIntArray(values: KafkaEncoder[], type: 'object'): KafkaEncoder;
  writeEncoder(value: KafkaEncoder): KafkaEncoder;
}

/** kafkajs' protocol Decoder (`kafkajs/src/protocol/decoder`), as used here. */
export interface KafkaDecoder {
  readInt16(): number;
  readInt32(): number;
  readInt64(): bigint;
  readUVarIntString(): string | null;
  readUVarIntArray<T>(reader: (decoder: KafkaDecoder) => T): T[] | null;
  readTaggedFields(): unknown;
}

/** The API versions a broker announced (kafkajs keeps them per broker). */
export type ApiVersions = Record<
  number,
  { minVersion: number; maxVersion: number } | undefined
>;

/** A record as kafkajs' Fetch decoder gives it (`kafkajs/src/protocol/recordBatch/record`). */
export interface KafkaJsFetchedRecord {
  offset: string;
  value: Buffer | null;
  isControlRecord?: boolean;
}

/**
 * The decoded answer of `broker.fetch` (Fetch v4 and later), as used here;
 * kafkajs throws instead when a partition has an error code.
 */
export interface KafkaJsFetchAnswer {
  responses: Array<{
    topicName: string;
    partitions: Array<{
      partition: number;
      messages: KafkaJsFetchedRecord[];
    }>;
  }>;
}

/** A broker of kafkajs' broker pool (`kafkajs/src/broker`), as used here. */
export interface KafkaJsBroker {
  versions: ApiVersions | null;
  lookupRequest(apiKey: number, definition: unknown): (args: object) => any;
  connectionPool: { send(request: object): Promise<any> };
  /** A Fetch request at the version the broker and kafkajs share, decoded. */
  fetch(request: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: Array<{
      topic: string;
      partitions: Array<{
        partition: number;
        fetchOffset: string;
        maxBytes: number;
      }>;
    }>;
  }): Promise<KafkaJsFetchAnswer>;
}

/** kafkajs' cluster (`kafkajs/src/cluster`), as used here. */
export interface KafkaJsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findBroker(options: { nodeId: string }): Promise<KafkaJsBroker>;
  brokerPool: {
    withBroker<T>(
      fn: (args: { broker: KafkaJsBroker }) => Promise<T>,
    ): Promise<T | null>;
  };
}

/** `kafkajs/src/cluster`: takes the client's options plus its own collaborators. */
export const Cluster: new (
  options: object,
) => KafkaJsCluster = require('kafkajs/src/cluster');

export const { createLogger, LEVELS } = require('kafkajs/src/loggers') as {
  createLogger(options: { level: number; logCreator: unknown }): unknown;
  LEVELS: { NOTHING: number };
};

export const createSocketFactory: () => unknown = require('kafkajs/src/network/socketFactory');

export const InstrumentationEventEmitter: new () => {
  addListener(event: string, listener: (event: any) => void): void;
} = require('kafkajs/src/instrumentation/emitter');

/** Kafka API keys by kafkajs' names (`GroupCoordinator` is FindCoordinator). */
export const apiKeys: Record<
  'Metadata' | 'ListOffsets' | 'GroupCoordinator' | 'OffsetFetch',
  number
> = require('kafkajs/src/protocol/requests/apiKeys');

/** kafkajs' request definitions, by API name. */
export const { requests } = require('kafkajs/src/protocol/requests') as {
  requests: Record<'Metadata' | 'ListOffsets', unknown>;
};

export const Encoder: new () => KafkaEncoder = require('kafkajs/src/protocol/encoder');

export const Decoder: new (
  payload: Buffer,
) => KafkaDecoder = require('kafkajs/src/protocol/decoder');

/** kafkajs' error for a Kafka error code (`type`: its name, such as `NOT_COORDINATOR`). */
export const { createErrorFromCode } =
  require('kafkajs/src/protocol/error') as {
    createErrorFromCode(code: number): { type?: string };
  };
