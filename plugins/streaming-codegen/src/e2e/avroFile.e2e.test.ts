import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestKafka } from '@internal/plugin-streaming-node/testUtils';
import { avroBinary, confluentFramed } from './__testUtils__/avroBinary';
import { DeltaReader } from './__testUtils__/DeltaReader';
import type { DeltaRow } from './__testUtils__/DeltaReader';
import { PipelineRun } from './__testUtils__/PipelineRun';

// Binary Avro read with the schema file of the pipeline's repository (no registry), once
// per wire format: plain bodies, and bodies behind the Confluent header. Each job runs
// with availableNow over records of every type of the schema; the Delta table must hold
// each value exactly. Records that do not decode go to the dead-letter target (a Delta
// table for plain, a topic for Confluent) with their error, and are counted.
jest.setTimeout(20 * 60_000);

const PAYMENT = {
  type: 'record',
  name: 'Payment',
  namespace: 'shop',
  fields: [
    { name: 'payment_id', type: 'long' },
    { name: 'customer', type: 'string' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'amount', type: 'double' },
    { name: 'quantity', type: 'int' },
    { name: 'refunded', type: 'boolean' },
    {
      name: 'paid_at',
      type: { type: 'long', logicalType: 'timestamp-millis' },
    },
    { name: 'due', type: { type: 'int', logicalType: 'date' } },
  ],
};

/** Payments as written (timestamps to the millisecond) and as the table must hold them. */
const PAYMENTS = [
  {
    payment_id: 4_294_967_298,
    customer: 'Zoë Łukasz 北京',
    note: 'first order, "quoted"',
    amount: 1234.5678,
    quantity: 2_147_483_647,
    refunded: false,
    paid_at: '2026-03-01T12:34:56.789Z',
    due: '2026-03-31',
  },
  {
    payment_id: -7,
    customer: '',
    note: null,
    amount: -0.1,
    quantity: -3,
    refunded: true,
    paid_at: '1969-12-31T23:59:59.999Z',
    due: '1969-12-31',
  },
  {
    payment_id: 0,
    customer: 'c3',
    note: '',
    amount: 1e-7,
    quantity: 0,
    refunded: false,
    paid_at: '2026-03-01T00:00:00.000Z',
    due: '2000-02-29',
  },
];

/** An ISO-8601 time with milliseconds as the Delta reader gives it back (Python's isoformat). */
const readBack = (iso: string) =>
  iso.replace(/\.000Z$/, 'Z').replace(/(\.\d{3})Z$/, '$1000Z');

/** A row of PAYMENTS as the Delta reader gives it back. */
const asRow = (p: (typeof PAYMENTS)[number]): DeltaRow => ({
  ...p,
  paid_at: readBack(p.paid_at),
});

const byId = (rows: DeltaRow[]) =>
  [...rows].sort((a, b) => Number(a.payment_id) - Number(b.payment_id));

/**
 * The time every record is produced with, so a dead-lettered one's timestamp is known; now,
 * as the broker's retention deletes records with older times at once.
 */
const PRODUCED_AT = Date.now();

function specText(wireFormat: 'plain' | 'confluent', deadLetter: string) {
  return `
pipeline:
  name: payments-avro-${wireFormat}
  owner: group:default/team-payments
  source:
    type: kafka
    topic: payments
    format: avro
    avro_wire_format: ${wireFormat}
    schema: schemas/payment.avsc
    starting_offsets: earliest
  sink:
    type: delta
    path: /data/delta/payments
    mode: append
    checkpoint: /checkpoints/payments-avro-${wireFormat}
  dead_letter: ${deadLetter}
  trigger: available_now
`;
}

describe('binary Avro read with a schema file (plain and Confluent wire format), generated and run on Kafka and Spark', () => {
  let kafka: TestKafka;
  let reader: DeltaReader;
  /** Each case's pipeline; a passing one's folder is removed, a failing one's kept. */
  const runs: { pipeline: PipelineRun; passed: boolean }[] = [];

  beforeAll(async () => {
    // The reader's Spark starts beside the first case's job; the first read waits for it.
    reader = DeltaReader.starting();
    kafka = await TestKafka.start();
  });

  afterAll(async () => {
    for (const { pipeline, passed } of runs) await pipeline.cleanUp(!passed);
    await reader?.close();
    await kafka?.close();
  });

  /**
   * Renders the spec with the schema file in the repository, produces `values` (keys p0,
   * p1, ...) and runs the job until it has read them all: the case's run and the job's
   * progress.
   */
  async function run(text: string, values: Buffer[]) {
    const pipeline = await PipelineRun.create({
      kafka,
      specText: text,
      sourcePartitions: 1,
    });
    const current = { pipeline, passed: false };
    runs.push(current);
    mkdirSync(join(pipeline.dir, 'schemas'), { recursive: true });
    writeFileSync(
      join(pipeline.dir, 'schemas/payment.avsc'),
      JSON.stringify(PAYMENT, null, 2),
    );
    await kafka.producer.send({
      topic: pipeline.sourceTopic,
      acks: -1,
      messages: values.map((value, i) => ({
        key: `p${i}`,
        value,
        timestamp: String(PRODUCED_AT),
      })),
    });
    pipeline.start();
    expect(await pipeline.finished()).toBe(0);
    return { current, pipeline, progress: await pipeline.progress() };
  }

  it('plain: decodes every value exactly and dead-letters a record that is not Avro into a Delta table', async () => {
    const junk = Buffer.from('{"payment_id": 9}');
    const { current, pipeline, progress } = await run(
      specText(
        'plain',
        '{ type: delta, path: /data/delta/payments_dead_letter }',
      ),
      [
        avroBinary(PAYMENT, PAYMENTS[0]),
        avroBinary(PAYMENT, PAYMENTS[1]),
        junk,
        avroBinary(PAYMENT, PAYMENTS[2]),
      ],
    );

    expect(byId(await reader.read(pipeline.sinkPath))).toEqual(
      byId(PAYMENTS.map(asRow)),
    );
    expect(await reader.read(pipeline.deadLetterPath)).toEqual([
      {
        key: Buffer.from('p2').toString('base64'),
        value: junk.toString('base64'),
        error: "does not decode as Avro with the pipeline's schema",
        pipeline: 'payments-avro-plain',
        topic: pipeline.sourceTopic,
        partition: 0,
        offset: 2,
        timestamp: readBack(new Date(PRODUCED_AT).toISOString()),
      },
    ]);
    expect(progress.inputRows).toBe(4);
    expect(progress.badRecords).toBe(1);
    expect(progress.deadLetterRecords).toBe(1);
    current.passed = true;
  });

  it('confluent: decodes every value exactly behind the header and dead-letters unframed and cut-short records into a topic', async () => {
    const body = (i: number) => avroBinary(PAYMENT, PAYMENTS[i]);
    // A valid body behind a header whose magic byte is 1: not the Confluent wire format.
    const notConfluent = confluentFramed(3, body(1));
    notConfluent[0] = 1;
    const { current, pipeline, progress } = await run(
      specText('confluent', '{ type: kafka, topic: payments.dead-letter }'),
      [
        confluentFramed(3, body(0)),
        notConfluent,
        confluentFramed(3, body(1)),
        confluentFramed(3, body(2).subarray(0, 12)), // cut short inside the record
        confluentFramed(70_000, body(2)),
      ],
    );

    expect(byId(await reader.read(pipeline.sinkPath))).toEqual(
      byId(PAYMENTS.map(asRow)),
    );
    const dead = await kafka.readAll(pipeline.deadLetterTopic!);
    expect(
      dead.map(r => [
        r.key,
        r.headers['dead-letter.offset'],
        r.headers['dead-letter.error'],
        r.headers['dead-letter.topic'],
        r.headers['dead-letter.timestamp'],
      ]),
    ).toEqual([
      [
        'p1',
        '1',
        'not in the Confluent wire format (magic byte 0 and a 4-byte schema id)',
        pipeline.sourceTopic,
        String(PRODUCED_AT),
      ],
      [
        'p3',
        '3',
        "does not decode as Avro with the pipeline's schema (Confluent wire format)",
        pipeline.sourceTopic,
        String(PRODUCED_AT),
      ],
    ]);
    expect(progress.inputRows).toBe(5);
    expect(progress.badRecords).toBe(2);
    expect(progress.deadLetterRecords).toBe(2);
    current.passed = true;
  });
});
