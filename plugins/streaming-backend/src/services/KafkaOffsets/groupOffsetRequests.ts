/**
 * The two Kafka requests that read many consumer groups at once, which
 * kafkajs 2.2.4 does not define: FindCoordinator v4 (KIP-699, every group's
 * coordinator in one request) and OffsetFetch v8 (KIP-709, every committed
 * offset of many groups in one request). Both are flexible versions (compact
 * strings and arrays, tagged fields), written with kafkajs' own Encoder and
 * Decoder and sent through its connections like its own request definitions.
 */
import {
  apiKeys,
  ApiVersions,
  createErrorFromCode,
  Decoder,
  Encoder,
  KafkaDecoder,
  KafkaEncoder,
} from './kafkajsInternals';

/** A request as kafkajs' Connection.send takes it: the body to frame and how to read the answer. */
export interface ProtocolRequest<T> {
  request: {
    apiKey: number;
    apiVersion: number;
    apiName: string;
    encode(): Promise<KafkaEncoder>;
  };
  response: {
    decode(payload: Buffer): Promise<T>;
    parse(data: T): Promise<T>;
  };
}

export const FIND_COORDINATOR = {
  apiKey: apiKeys.GroupCoordinator,
  version: 4,
};
export const OFFSET_FETCH = { apiKey: apiKeys.OffsetFetch, version: 8 };

/** Whether a broker accepts this version of a request. */
export function supportsVersion(
  versions: ApiVersions | null | undefined,
  api: { apiKey: number; version: number },
): boolean {
  const range = versions?.[api.apiKey];
  return (
    range !== undefined &&
    range.minVersion <= api.version &&
    api.version <= range.maxVersion
  );
}

/** The name of a Kafka error code (`NOT_COORDINATOR_FOR_GROUP`), as kafkajs knows it. */
export function kafkaErrorName(code: number): string {
  return createErrorFromCode(code).type ?? `error code ${code}`;
}

const EMPTY_TAGGED_FIELDS = 0;
const NULL_ARRAY = 0;
const GROUP_KEY_TYPE = 0;

/**
 * A request in a flexible version. kafkajs writes request header v1 (api key,
 * version, correlation id, client id) and hands the answer over after the
 * correlation id; flexible versions use request header v2 and response
 * header v1, which each add tagged fields right there: the body written here
 * starts with the request header's (empty) tagged fields, and the decoder
 * first skips the response header's.
 */
function flexibleRequest<T extends { throttleTimeMs: number }>(
  api: { apiKey: number; version: number },
  apiName: string,
  writeBody: (encoder: KafkaEncoder) => KafkaEncoder,
  readBody: (decoder: KafkaDecoder) => T,
): ProtocolRequest<T> {
  return {
    request: {
      apiKey: api.apiKey,
      apiVersion: api.version,
      apiName,
      encode: async () =>
        writeBody(new Encoder().writeUVarInt(EMPTY_TAGGED_FIELDS)).writeUVarInt(
          EMPTY_TAGGED_FIELDS,
        ),
    },
    response: {
      decode: async (payload: Buffer) => {
        const decoder: KafkaDecoder = new Decoder(payload);
        decoder.readTaggedFields();
        const body = readBody(decoder);
        decoder.readTaggedFields();
        // The broker answers before throttling (KIP-219): kafkajs waits on this field.
        return { ...body, clientSideThrottleTime: body.throttleTimeMs };
      },
      parse: async data => data,
    },
  };
}

/** One group's coordinator, or why the broker could not name it. */
export interface CoordinatorAnswer {
  key: string;
  nodeId: number;
  host: string | null;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}

/** FindCoordinator v4: the coordinators of many consumer groups. */
export function findCoordinatorRequest(groups: string[]): ProtocolRequest<{
  throttleTimeMs: number;
  coordinators: CoordinatorAnswer[];
}> {
  return flexibleRequest(
    FIND_COORDINATOR,
    'FindCoordinator',
    encoder =>
      encoder.writeInt8(GROUP_KEY_TYPE).writeUVarIntArray(
        groups.map(group => new Encoder().writeUVarIntString(group)),
        'object',
      ),
    decoder => ({
      throttleTimeMs: decoder.readInt32(),
      coordinators:
        decoder.readUVarIntArray(d => {
          const answer: CoordinatorAnswer = {
            key: d.readUVarIntString() ?? '',
            nodeId: d.readInt32(),
            host: d.readUVarIntString(),
            port: d.readInt32(),
            errorCode: d.readInt16(),
            errorMessage: d.readUVarIntString(),
          };
          d.readTaggedFields();
          return answer;
        }) ?? [],
    }),
  );
}

/** One partition's committed offset in an OffsetFetch answer. */
export interface CommittedPartition {
  partition: number;
  offset: string;
  errorCode: number;
}

/** One group of an OffsetFetch answer: its committed offsets or its error. */
export interface GroupAnswer {
  groupId: string;
  topics: Array<{ topic: string; partitions: CommittedPartition[] }>;
  errorCode: number;
}

/**
 * OffsetFetch v8: every committed offset (`topics` null) of many groups
 * coordinated by the broker it is sent to; errors per group.
 */
export function offsetFetchRequest(
  groups: string[],
): ProtocolRequest<{ throttleTimeMs: number; groups: GroupAnswer[] }> {
  const REQUIRE_STABLE = 0;
  return flexibleRequest(
    OFFSET_FETCH,
    'OffsetFetch',
    encoder =>
      encoder
        .writeUVarIntArray(
          groups.map(group =>
            new Encoder()
              .writeUVarIntString(group)
              .writeUVarInt(NULL_ARRAY)
              .writeUVarInt(EMPTY_TAGGED_FIELDS),
          ),
          'object',
        )
        .writeInt8(REQUIRE_STABLE),
    decoder => ({
      throttleTimeMs: decoder.readInt32(),
      groups:
        decoder.readUVarIntArray(g => {
          const groupId = g.readUVarIntString() ?? '';
          const topics =
            g.readUVarIntArray(t => {
              const topic = t.readUVarIntString() ?? '';
              const partitions =
                t.readUVarIntArray(p => {
                  const partition = p.readInt32();
                  const offset = String(p.readInt64());
                  p.readInt32(); // committed leader epoch
                  p.readUVarIntString(); // metadata
                  const errorCode = p.readInt16();
                  p.readTaggedFields();
                  return { partition, offset, errorCode };
                }) ?? [];
              t.readTaggedFields();
              return { topic, partitions };
            }) ?? [];
          const errorCode = g.readInt16();
          g.readTaggedFields();
          return { groupId, topics, errorCode };
        }) ?? [],
    }),
  );
}

/** Committed offsets of a consumer group (topic -> partition -> offset), and why some are missing. */
export interface GroupOffsets {
  offsets?: Map<string, Map<number, string>>;
  error?: string;
}

/** Group errors after which the group's coordinator is looked up again. */
const COORDINATOR_MOVED = new Set([
  15, // COORDINATOR_NOT_AVAILABLE
  16, // NOT_COORDINATOR
]);

/** Committed offsets as topic -> partition -> offset. */
export function offsetMap(
  topics: Array<{
    topic: string;
    partitions: Array<{ partition: number; offset: string }>;
  }>,
): Map<string, Map<number, string>> {
  return new Map(
    topics.map(t => [
      t.topic,
      new Map(t.partitions.map(p => [p.partition, p.offset])),
    ]),
  );
}

/**
 * Each asked group's offsets or error from an OffsetFetch answer; `moved`
 * lists the groups whose coordinator must be looked up again (it moved or is
 * not available). An error stays with its group, or with its partition.
 */
export function readOffsetFetchAnswer(
  answer: { groups: GroupAnswer[] },
  groups: string[],
): { groups: Map<string, GroupOffsets>; moved: string[] } {
  const result = new Map<string, GroupOffsets>();
  const moved: string[] = [];
  for (const group of answer.groups) {
    if (group.errorCode !== 0) {
      if (COORDINATOR_MOVED.has(group.errorCode)) moved.push(group.groupId);
      result.set(group.groupId, {
        error: `OffsetFetch: ${kafkaErrorName(group.errorCode)}`,
      });
      continue;
    }
    const failed = group.topics.flatMap(t =>
      t.partitions
        .filter(p => p.errorCode !== 0)
        .map(p => `${t.topic}[${p.partition}] ${kafkaErrorName(p.errorCode)}`),
    );
    result.set(group.groupId, {
      offsets: offsetMap(
        group.topics.map(t => ({
          topic: t.topic,
          partitions: t.partitions.filter(p => p.errorCode === 0),
        })),
      ),
      error: failed.length ? `OffsetFetch: ${failed.join(', ')}` : undefined,
    });
  }
  for (const group of groups) {
    if (!result.has(group)) {
      result.set(group, { error: 'OffsetFetch: missing from the answer' });
    }
  }
  return { groups: result, moved };
}
