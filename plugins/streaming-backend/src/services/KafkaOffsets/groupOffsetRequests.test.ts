import {
  findCoordinatorRequest,
  offsetFetchRequest,
  readOffsetFetchAnswer,
  supportsVersion,
} from './groupOffsetRequests';

/** Bytes as the Kafka protocol guide lays them out, written by hand. */
const int16 = (value: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(value);
  return b;
};
const int32 = (value: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
};
const int64 = (value: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(value));
  return b;
};
/** Lengths below 127 are one unsigned varint byte. */
const byte = (value: number) => Buffer.from([value]);
const compactString = (value: string | null) =>
  value === null
    ? byte(0)
    : Buffer.concat([byte(Buffer.byteLength(value) + 1), Buffer.from(value)]);
const compactArray = (items: Buffer[]) =>
  Buffer.concat([byte(items.length + 1), ...items]);
const NO_TAGS = byte(0);

async function encoded(request: {
  request: { encode(): Promise<unknown> };
}): Promise<Buffer> {
  return ((await request.request.encode()) as { buffer: Buffer }).buffer;
}

describe('FindCoordinator v4', () => {
  it('asks for every group in one request behind the header tagged fields', async () => {
    const request = findCoordinatorRequest(['a', 'bc']);
    expect(request.request).toMatchObject({ apiKey: 10, apiVersion: 4 });
    expect(await encoded(request)).toEqual(
      Buffer.concat([
        NO_TAGS, // request header v2
        byte(0), // key type: group
        compactArray([compactString('a'), compactString('bc')]),
        NO_TAGS,
      ]),
    );
  });

  it('reads each group coordinator and error', async () => {
    const answer = Buffer.concat([
      NO_TAGS, // response header v1
      int32(25), // throttle time
      compactArray([
        Buffer.concat([
          compactString('a'),
          int32(1),
          compactString('kafka-1'),
          int32(9092),
          int16(0),
          compactString(null),
          NO_TAGS,
        ]),
        Buffer.concat([
          compactString('b'),
          int32(-1),
          compactString(''),
          int32(-1),
          int16(30),
          compactString('denied'),
          NO_TAGS,
        ]),
      ]),
      NO_TAGS,
    ]);
    const decoded = await findCoordinatorRequest([]).response.decode(answer);
    expect(decoded).toMatchObject({
      throttleTimeMs: 25,
      clientSideThrottleTime: 25,
      coordinators: [
        {
          key: 'a',
          nodeId: 1,
          host: 'kafka-1',
          port: 9092,
          errorCode: 0,
          errorMessage: null,
        },
        {
          key: 'b',
          nodeId: -1,
          host: '',
          port: -1,
          errorCode: 30,
          errorMessage: 'denied',
        },
      ],
    });
  });
});

describe('OffsetFetch v8', () => {
  it('asks for all committed offsets (null topics) of many groups', async () => {
    const request = offsetFetchRequest(['g1', 'g2']);
    expect(request.request).toMatchObject({ apiKey: 9, apiVersion: 8 });
    const group = (id: string) =>
      Buffer.concat([compactString(id), byte(0) /* null topics */, NO_TAGS]);
    expect(await encoded(request)).toEqual(
      Buffer.concat([
        NO_TAGS, // request header v2
        compactArray([group('g1'), group('g2')]),
        byte(0), // require stable: false
        NO_TAGS,
      ]),
    );
  });

  it('keeps each error with its group or partition', async () => {
    const partition = (index: number, offset: number, errorCode: number) =>
      Buffer.concat([
        int32(index),
        int64(offset),
        int32(-1), // leader epoch
        compactString(null), // metadata
        int16(errorCode),
        NO_TAGS,
      ]);
    const group = (id: string, errorCode: number, topics: Buffer[] = []) =>
      Buffer.concat([
        compactString(id),
        compactArray(topics),
        int16(errorCode),
        NO_TAGS,
      ]);
    const answer = Buffer.concat([
      NO_TAGS, // response header v1
      int32(0),
      compactArray([
        group('ok', 0, [
          Buffer.concat([
            compactString('orders'),
            compactArray([partition(0, 5, 0), partition(1, 1234567890123, 0)]),
            NO_TAGS,
          ]),
        ]),
        group('partly', 0, [
          Buffer.concat([
            compactString('orders'),
            compactArray([partition(0, 3, 0), partition(1, -1, 29)]),
            NO_TAGS,
          ]),
        ]),
        group('empty', 0),
        group('loading', 14),
        group('moved', 16),
        group('not-allowed', 30),
      ]),
      NO_TAGS,
    ]);
    const asked = [
      'ok',
      'partly',
      'empty',
      'loading',
      'moved',
      'not-allowed',
      'unanswered',
    ];
    const decoded = await offsetFetchRequest(asked).response.decode(answer);
    const read = readOffsetFetchAnswer(decoded, asked);

    expect(read.moved).toEqual(['moved']);
    expect(Object.fromEntries(read.groups)).toEqual({
      ok: {
        offsets: new Map([
          [
            'orders',
            new Map([
              [0, '5'],
              [1, '1234567890123'],
            ]),
          ],
        ]),
        error: undefined,
      },
      partly: {
        offsets: new Map([['orders', new Map([[0, '3']])]]),
        error: 'OffsetFetch: orders[1] TOPIC_AUTHORIZATION_FAILED',
      },
      empty: { offsets: new Map(), error: undefined },
      loading: { error: 'OffsetFetch: GROUP_LOAD_IN_PROGRESS' },
      moved: { error: 'OffsetFetch: NOT_COORDINATOR_FOR_GROUP' },
      'not-allowed': { error: 'OffsetFetch: GROUP_AUTHORIZATION_FAILED' },
      unanswered: { error: 'OffsetFetch: missing from the answer' },
    });
  });
});

describe('supportsVersion', () => {
  const find = { apiKey: 10, version: 4 };
  const fetch = { apiKey: 9, version: 8 };

  it('takes the batched versions from Kafka 3.0 on, and not before', () => {
    const kafka39 = {
      9: { minVersion: 0, maxVersion: 9 },
      10: { minVersion: 0, maxVersion: 6 },
    };
    const kafka28 = {
      9: { minVersion: 0, maxVersion: 7 },
      10: { minVersion: 0, maxVersion: 3 },
    };
    expect([
      supportsVersion(kafka39, find),
      supportsVersion(kafka39, fetch),
    ]).toEqual([true, true]);
    expect([
      supportsVersion(kafka28, find),
      supportsVersion(kafka28, fetch),
    ]).toEqual([false, false]);
    expect(
      supportsVersion({ 9: { minVersion: 9, maxVersion: 10 } }, fetch),
    ).toBe(false);
    expect(supportsVersion(null, find)).toBe(false);
  });
});
