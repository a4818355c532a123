import { avroBinary, confluentFramed } from './__testUtils__/avroBinary';
import { setUpRegistryPipelineTest } from './__testUtils__/setUpRegistryPipelineTest';

// Confluent-framed Avro with the real schema registry: a producer writes records of
// version 1 of a subject, then of version 2 (an optional field added), registered while
// the job runs; the job built for version 1 reads both with their writer schemas. Then the
// pipeline is pinned to version 2 and redeployed: the table gains the new column. Version 3
// removes that column and adds another: read with version 2 first, then pinned to it, and
// the table keeps the removed column (null for new rows) and gains the added one. Records
// with an unknown schema id or without the Confluent header are dead-lettered and counted.
jest.setTimeout(20 * 60_000);

const V1 = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'order_id', type: 'string' },
    { name: 'amount', type: 'double' },
  ],
};
const V2 = {
  ...V1,
  fields: [
    ...V1.fields,
    { name: 'coupon', type: ['null', 'string'], default: null },
  ],
};

/** Version 3: coupon removed, channel added. */
const V3 = {
  ...V1,
  fields: [
    ...V1.fields,
    { name: 'channel', type: ['null', 'string'], default: null },
  ],
};
const VERSIONS = { 1: V1, 2: V2, 3: V3 };

type Order = {
  order_id: string;
  amount: number;
  coupon?: string | null;
  channel?: string | null;
};

/**
 * An order as a Confluent serializer writes it: the header with schema id `id`, then the
 * Avro body of that `version` of the subject's schema.
 */
function framed(id: number, version: 1 | 2 | 3, order: Order): Buffer {
  return confluentFramed(id, avroBinary(VERSIONS[version], order));
}

function specText(subject: string, version: number) {
  return `
pipeline:
  name: orders-from-registry
  owner: group:default/team-shop
  source:
    type: kafka
    topic: orders
    format: avro
    schema: { registry: local, subject: ${subject}, version: ${version} }
    starting_offsets: earliest
  transformations:
    - type: filter
      condition: "amount > 0"
  sink:
    type: delta
    path: /data/delta/orders
    mode: append
    checkpoint: /checkpoints/orders-from-registry
  dead_letter:
    type: kafka
    topic: orders.dead-letter
  trigger: '2 seconds'
`;
}

describe('Confluent-framed Avro read with writer schemas from the real schema registry, generated and run on Kafka and Spark', () => {
  const t = setUpRegistryPipelineTest('e2e-orders', specText);

  it('decodes v1, v2 and v3 records exactly into Delta, follows the pins to v2 (a column added) and v3 (one removed, one added), and dead-letters unknown ids and unframed records with a count', async () => {
    const v1 = await t.registry.client.register(
      t.subject,
      JSON.stringify(V1),
      'AVRO',
    );
    await t.deploy(1);
    const env = { PIPELINE_SCHEMA_REGISTRY_URL: t.registry.url };

    await t.produce([
      framed(v1, 1, { order_id: 'o01', amount: 10.5 }),
      framed(v1, 1, { order_id: 'o02', amount: 0 }), // filtered out
      framed(v1, 1, { order_id: 'o03', amount: 3.25 }),
    ]);
    t.pipeline.start(env);
    await t.pipeline.waitProcessed();
    expect(await t.tableRows('order_id')).toEqual([
      { order_id: 'o01', amount: 10.5 },
      { order_id: 'o03', amount: 3.25 },
    ]);

    // Version 2 registered while the job runs, and records written with it; the job has
    // never seen this id: it fetches the writer schema and resolves it to version 1.
    const v2 = await t.registry.client.register(
      t.subject,
      JSON.stringify(V2),
      'AVRO',
    );
    expect(v2).not.toBe(v1);
    const unknownId = v2 + 100_000;
    await expect(t.registry.client.getSchemaById(unknownId)).rejects.toThrow();
    await t.produce([
      framed(v2, 2, { order_id: 'o04', amount: 7, coupon: 'SPRING' }),
      framed(v1, 1, { order_id: 'o05', amount: 1.75 }),
      framed(v2, 2, { order_id: 'o06', amount: 2.5, coupon: null }),
      framed(unknownId, 1, { order_id: 'o07', amount: 9 }),
      Buffer.from(JSON.stringify({ order_id: 'o08', amount: 9 })),
    ]);
    const second = await t.pipeline.waitProcessed();
    expect(await t.tableRows('order_id')).toEqual([
      { order_id: 'o01', amount: 10.5 },
      { order_id: 'o03', amount: 3.25 },
      { order_id: 'o04', amount: 7 },
      { order_id: 'o05', amount: 1.75 },
      { order_id: 'o06', amount: 2.5 },
    ]);
    expect(second.inputRows).toBe(8);
    expect(second.badRecords).toBe(2);
    expect(second.deadLetterRecords).toBe(2);
    const dead = await t.deadLetters(2);
    expect(
      dead.map(r => [
        r.headers['dead-letter.offset'],
        r.headers['dead-letter.error'],
      ]),
    ).toEqual([
      ['6', `schema id ${unknownId} is not in the schema registry`],
      [
        '7',
        'not in the Confluent wire format (magic byte 0 and a 4-byte schema id)',
      ],
    ]);

    // Pinned to version 2 and redeployed: the table takes the coupon column; records of
    // both versions keep flowing, v1's with the default.
    await t.pipeline.stop();
    await t.deploy(2);
    await t.produce([
      framed(v2, 2, { order_id: 'o09', amount: 4, coupon: 'AUTUMN' }),
      framed(v1, 1, { order_id: 'o10', amount: 5 }),
    ]);
    t.pipeline.start(env);
    const third = await t.pipeline.waitProcessed();
    expect(await t.tableRows('order_id')).toEqual([
      { order_id: 'o01', amount: 10.5, coupon: null },
      { order_id: 'o03', amount: 3.25, coupon: null },
      { order_id: 'o04', amount: 7, coupon: null },
      { order_id: 'o05', amount: 1.75, coupon: null },
      { order_id: 'o06', amount: 2.5, coupon: null },
      { order_id: 'o09', amount: 4, coupon: 'AUTUMN' },
      { order_id: 'o10', amount: 5, coupon: null },
    ]);
    expect(third.inputRows).toBe(10);
    expect(third.deadLetterRecords).toBe(2);

    // Version 3 removes coupon and adds channel (backward compatible: it reads the records
    // of version 2). The job pinned to version 2 reads its records with the default coupon.
    const v3 = await t.registry.client.register(
      t.subject,
      JSON.stringify(V3),
      'AVRO',
    );
    expect(v3).not.toBe(v2);
    await t.produce([
      framed(v3, 3, { order_id: 'o11', amount: 6, channel: 'web' }),
    ]);
    await t.pipeline.waitProcessed();
    expect(
      (await t.tableRows('order_id')).find(r => r.order_id === 'o11'),
    ).toEqual({
      order_id: 'o11',
      amount: 6,
      coupon: null,
    });

    // Pinned to version 3 and redeployed: the table gains channel and keeps coupon, whose
    // values stay; new rows have it null, records of version 2 included (the spec no longer
    // reads it), and version 2's records have no channel.
    await t.pipeline.stop();
    await t.deploy(3);
    await t.produce([
      framed(v3, 3, { order_id: 'o12', amount: 8, channel: 'app' }),
      framed(v2, 2, { order_id: 'o13', amount: 9, coupon: 'WINTER' }),
    ]);
    t.pipeline.start(env);
    const fourth = await t.pipeline.waitProcessed();
    expect(await t.tableRows('order_id')).toEqual([
      { order_id: 'o01', amount: 10.5, coupon: null, channel: null },
      { order_id: 'o03', amount: 3.25, coupon: null, channel: null },
      { order_id: 'o04', amount: 7, coupon: null, channel: null },
      { order_id: 'o05', amount: 1.75, coupon: null, channel: null },
      { order_id: 'o06', amount: 2.5, coupon: null, channel: null },
      { order_id: 'o09', amount: 4, coupon: 'AUTUMN', channel: null },
      { order_id: 'o10', amount: 5, coupon: null, channel: null },
      { order_id: 'o11', amount: 6, coupon: null, channel: null },
      { order_id: 'o12', amount: 8, coupon: null, channel: 'app' },
      { order_id: 'o13', amount: 9, coupon: null, channel: null },
    ]);
    expect(fourth.inputRows).toBe(13);
    expect(fourth.deadLetterRecords).toBe(2);
    t.passed = true;
  });
});
