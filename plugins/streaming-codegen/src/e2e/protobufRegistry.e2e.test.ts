import { confluentFramed } from './__testUtils__/avroBinary';
import { setUpRegistryPipelineTest } from './__testUtils__/setUpRegistryPipelineTest';

// Confluent-framed Protobuf with the real schema registry, through Kafka into Delta: a
// producer writes records of version 1 of a subject, then of version 2 (an optional field
// added), registered while the job runs; the job built for version 1 reads both. Then the
// pipeline is pinned to version 2 and redeployed: the table gains the new column. Records
// with an unknown schema id or whose message indexes name another message are
// dead-lettered and counted.
jest.setTimeout(20 * 60_000);

const V1 = `syntax = "proto3";
package shop;

message Order {
  string order_id = 1;
  double amount = 2;
}
`;
const V2 = `syntax = "proto3";
package shop;

message Order {
  string order_id = 1;
  double amount = 2;
  optional string coupon = 3;
}
`;

type Order = { order_id: string; amount: number; coupon?: string };

/** A base-128 varint. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/**
 * An Order in Protobuf's wire format, as protoc's generated code writes it: each field
 * present (a proto3 scalar at its default is not written) as its key (field number and
 * wire type) and value; strings length-delimited, doubles 8 bytes little endian.
 */
function orderMessage(order: Order): Buffer {
  const parts: Buffer[] = [];
  const text = (field: number, value: string) => {
    const bytes = Buffer.from(value, 'utf8');
    parts.push(varint((field << 3) | 2), varint(bytes.length), bytes);
  };
  if (order.order_id) text(1, order.order_id);
  if (order.amount !== 0) {
    const double = Buffer.alloc(8);
    double.writeDoubleLE(order.amount);
    parts.push(varint((2 << 3) | 1), double);
  }
  if (order.coupon !== undefined) text(3, order.coupon);
  return Buffer.concat(parts);
}

/**
 * An order as Confluent's Protobuf serializer writes it: the header with schema id `id`,
 * the message indexes (the single 0 byte for the first message, else a zigzag count and
 * zigzag indexes), then the message.
 */
function framed(id: number, order: Order, indexes: number[] = [0]): Buffer {
  const zigzag = (n: number) => varint(n * 2);
  const path =
    indexes.length === 1 && indexes[0] === 0
      ? Buffer.from([0])
      : Buffer.concat([zigzag(indexes.length), ...indexes.map(zigzag)]);
  return confluentFramed(id, Buffer.concat([path, orderMessage(order)]));
}

function specText(subject: string, version: number) {
  return `
pipeline:
  name: orders-from-protobuf
  owner: group:default/team-shop
  source:
    type: kafka
    topic: orders
    format: protobuf
    schema: { registry: local, subject: ${subject}, version: ${version} }
    starting_offsets: earliest
  transformations:
    - type: filter
      condition: "amount > 0"
  sink:
    type: delta
    path: /data/delta/orders
    mode: append
    checkpoint: /checkpoints/orders-from-protobuf
  dead_letter:
    type: kafka
    topic: orders.dead-letter
  trigger: '2 seconds'
`;
}

describe('Confluent-framed Protobuf read with the schema registry, generated and run on Kafka and Spark', () => {
  const t = setUpRegistryPipelineTest('e2e-proto-orders', specText);

  it('decodes v1 and v2 records exactly into Delta, follows the pin to v2, and dead-letters unknown ids and other messages with a count', async () => {
    const v1 = await t.registry.client.register(t.subject, V1, 'PROTOBUF');
    await t.deploy(1);
    const env = { PIPELINE_SCHEMA_REGISTRY_URL: t.registry.url };

    await t.produce([
      framed(v1, { order_id: 'o01', amount: 10.5 }),
      framed(v1, { order_id: 'o02', amount: 0 }), // filtered out
      framed(v1, { order_id: 'o03', amount: 3.25 }),
    ]);
    t.pipeline.start(env);
    await t.pipeline.waitProcessed();
    expect(await t.tableRows('order_id')).toEqual([
      { order_id: 'o01', amount: 10.5 },
      { order_id: 'o03', amount: 3.25 },
    ]);

    // Version 2 (coupon added) registered while the job runs; its records are read with
    // version 1's message, the new field skipped.
    const v2 = await t.registry.client.register(t.subject, V2, 'PROTOBUF');
    expect(v2).not.toBe(v1);
    const unknownId = v2 + 100_000;
    await t.produce([
      framed(v2, { order_id: 'o04', amount: 7, coupon: 'SPRING' }),
      framed(v1, { order_id: 'o05', amount: 1.75 }),
      framed(unknownId, { order_id: 'o06', amount: 9 }),
      framed(v1, { order_id: 'o07', amount: 9 }, [1]),
    ]);
    const second = await t.pipeline.waitProcessed();
    expect(await t.tableRows('order_id')).toEqual([
      { order_id: 'o01', amount: 10.5 },
      { order_id: 'o03', amount: 3.25 },
      { order_id: 'o04', amount: 7 },
      { order_id: 'o05', amount: 1.75 },
    ]);
    expect(second.inputRows).toBe(7);
    expect(second.badRecords).toBe(2);
    expect(second.deadLetterRecords).toBe(2);
    const dead = await t.deadLetters(2);
    expect(
      dead.map(r => [
        r.headers['dead-letter.offset'],
        r.headers['dead-letter.error'],
      ]),
    ).toEqual([
      ['5', `schema id ${unknownId} is not in the schema registry`],
      [
        '6',
        "message indexes [1] name no message of the pipeline's version, not the pipeline's Order",
      ],
    ]);

    // Pinned to version 2 and redeployed: the table takes the coupon column, null where
    // a record has none (version 1's, and version 2's without it).
    await t.pipeline.stop();
    await t.deploy(2);
    await t.produce([
      framed(v2, { order_id: 'o08', amount: 4, coupon: 'AUTUMN' }),
      framed(v1, { order_id: 'o09', amount: 5 }),
      framed(v2, { order_id: 'o10', amount: 6 }),
    ]);
    t.pipeline.start(env);
    const third = await t.pipeline.waitProcessed();
    expect(await t.tableRows('order_id')).toEqual([
      { order_id: 'o01', amount: 10.5, coupon: null },
      { order_id: 'o03', amount: 3.25, coupon: null },
      { order_id: 'o04', amount: 7, coupon: null },
      { order_id: 'o05', amount: 1.75, coupon: null },
      { order_id: 'o08', amount: 4, coupon: 'AUTUMN' },
      { order_id: 'o09', amount: 5, coupon: null },
      { order_id: 'o10', amount: 6, coupon: null },
    ]);
    expect(third.inputRows).toBe(10);
    expect(third.deadLetterRecords).toBe(2);
    t.passed = true;
  });
});
