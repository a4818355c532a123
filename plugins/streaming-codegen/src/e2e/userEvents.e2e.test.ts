import { resolve } from 'node:path';
import type { DeltaRow } from './__testUtils__/DeltaReader';
import { repoRoot } from './__testUtils__/repoRoot';
import { setUpPipelineTest } from './__testUtils__/setUpPipelineTest';
import { TestKafka, waitFor } from '@internal/plugin-streaming-node/testUtils';
import type { TopicRecord } from '@internal/plugin-streaming-node/testUtils';

// The reference pipeline (examples/pipelines/user-events): heartbeats filtered out,
// 10-minute watermark, 5-minute windows per event type and country, appended to Delta;
// records that do not parse go to its dead-letter topic.
jest.setTimeout(20 * 60_000);

const specFile = resolve(
  repoRoot,
  'examples/pipelines/user-events/pipeline.yaml',
);
const MINUTE = 60_000;
const base = Date.parse('2026-01-05T10:00:00Z');

type UserEvent = {
  user_id: string;
  event_type: string;
  country: string;
  amount: number | null;
  timestamp: number;
};

const event = (
  user: string,
  type: string,
  country: string,
  minute: number,
  amount: number | null = null,
): UserEvent => ({
  user_id: user,
  event_type: type,
  country,
  amount,
  timestamp: base + minute * MINUTE,
});

// Windows 10:00-10:15 and an event at 10:30 that moves the watermark to 10:20.
const firstEvents: UserEvent[] = [
  event('u1', 'click', 'DE', 0.2),
  event('u2', 'click', 'DE', 1),
  event('u1', 'click', 'DE', 3.5),
  event('u1', 'purchase', 'DE', 2, 19.99),
  event('u3', 'heartbeat', 'DE', 2.5),
  event('u4', 'view', 'US', 4.99),
  event('u4', 'purchase', 'US', 6, 5.5),
  event('u5', 'purchase', 'US', 7, 100.25),
  event('u5', 'purchase', 'US', 9.5, 0.75),
  event('u6', 'signup', 'FR', 12),
  event('u6', 'heartbeat', 'FR', 13),
  event('u7', 'view', 'FR', 30),
];
// Produced while the job is stopped: the 10:30 window continues from the checkpointed
// state, and an event at 11:00 closes the windows up to 10:50.
const laterEvents: UserEvent[] = [
  event('u8', 'view', 'FR', 31),
  event('u7', 'view', 'FR', 33),
  event('u9', 'purchase', 'GB', 36, 42.1),
  event('u2', 'purchase', 'GB', 38, 7.9),
  event('u9', 'heartbeat', 'GB', 39),
  event('u3', 'click', 'DE', 44.9),
  event('u1', 'click', 'DE', 60),
];

/** What the pipeline must have written: closed windows only (end <= watermark). */
function expectedRows(events: UserEvent[]) {
  const watermark = Math.max(...events.map(e => e.timestamp)) - 10 * MINUTE;
  const groups = new Map<string, UserEvent[]>();
  for (const e of events.filter(x => x.event_type !== 'heartbeat')) {
    const start = Math.floor(e.timestamp / (5 * MINUTE)) * 5 * MINUTE;
    const key = JSON.stringify([start, e.event_type, e.country]);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.entries()]
    .map(([key, members]) => {
      const [start, eventType, country] = JSON.parse(key) as [
        number,
        string,
        string,
      ];
      const amounts = members
        .map(m => m.amount)
        .filter((a): a is number => a !== null);
      return {
        window_start: new Date(start).toISOString(),
        window_end: new Date(start + 5 * MINUTE).toISOString(),
        event_type: eventType,
        country,
        event_count: members.length,
        total_amount: amounts.length
          ? Math.round(amounts.reduce((s, a) => s + a, 0) * 100) / 100
          : null,
        unique_users: new Set(members.map(m => m.user_id)).size,
      };
    })
    .filter(row => Date.parse(row.window_end) <= watermark)
    .sort(byWindowTypeCountry);
}

function byWindowTypeCountry(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
) {
  return JSON.stringify([
    a.window_start,
    a.event_type,
    a.country,
  ]).localeCompare(JSON.stringify([b.window_start, b.event_type, b.country]));
}

/** Table rows in the shape of expectedRows: ISO times, amounts to the cent. */
function normalise(rows: DeltaRow[]) {
  return rows
    .map(
      (row): DeltaRow => ({
        ...row,
        window_start: new Date(String(row.window_start)).toISOString(),
        window_end: new Date(String(row.window_end)).toISOString(),
        total_amount:
          row.total_amount === null
            ? null
            : Math.round(Number(row.total_amount) * 100) / 100,
      }),
    )
    .sort(byWindowTypeCountry);
}

const records = (events: UserEvent[]) =>
  events.map(e => ({ key: e.user_id, value: JSON.stringify(e) }));
// Bad records: counted by the job's observation, never in a window, and written as read
// to the dead-letter topic with the error. The wrong-typed click has every field a window
// needs: without the dead-letter path it would count in 10:00 click/DE; the click without
// its country (required in user_event.avsc) would count in a 10:00 click window of no country.
const unparseable = [
  { key: 'u1', value: 'not json' },
  { key: 'u2', value: '{"user_id": "u2", "amount": "many"}' },
  {
    key: 'u3',
    value: JSON.stringify({ ...event('u3', 'click', 'DE', 1), amount: 'lots' }),
  },
  {
    key: 'u4',
    // JSON.stringify leaves out a property whose value is undefined.
    value: JSON.stringify({
      ...event('u4', 'click', 'DE', 2),
      country: undefined,
    }),
  },
];
const laterUnparseable = [{ key: 'u9', value: '{"user_id": "u9", ' }];
const errors: Record<string, string> = {
  'not json': 'malformed JSON: not a JSON object',
  '{"user_id": "u2", "amount": "many"}':
    'does not match the schema: missing required field event_type; missing required field country; amount: expected double; missing required field timestamp',
  [unparseable[2].value]: 'does not match the schema: amount: expected double',
  [unparseable[3].value]:
    'does not match the schema: missing required field country',
  [laterUnparseable[0].value]: 'malformed JSON: not a JSON object',
};
const bytesOf = (list: Array<{ key: string; value: string }>) =>
  list.reduce(
    (sum, r) => sum + Buffer.byteLength(r.key) + Buffer.byteLength(r.value),
    0,
  );

const produce = (kafka: TestKafka, topic: string, events: UserEvent[]) =>
  kafka.produceRecords(topic, records(events));

/**
 * What the dead-letter topic must hold for the junk in the source topic: each record's key
 * and value as read, the error, the pipeline, and its source topic, partition, offset and
 * timestamp (in headers), in source order.
 */
function expectedDeadLetters(source: TopicRecord[], topic: string) {
  return source
    .filter(r => r.value !== null && r.value in errors)
    .sort((a, b) => a.partition - b.partition || a.offset - b.offset)
    .map(r => ({
      key: r.key,
      value: r.value,
      headers: {
        'dead-letter.error': errors[r.value!],
        'dead-letter.pipeline': 'user-events',
        'dead-letter.topic': topic,
        'dead-letter.partition': String(r.partition),
        'dead-letter.offset': String(r.offset),
        'dead-letter.timestamp': String(r.timestamp),
      },
    }));
}

/** The dead-letter topic's records once it holds `count`, in source order. */
async function deadLetters(kafka: TestKafka, topic: string, count: number) {
  const written = await waitFor(
    `${count} records in ${topic}`,
    () => kafka.readAll(topic),
    { until: r => r.length >= count, timeoutMs: 120_000, intervalMs: 1000 },
  );
  return written
    .map(r => ({ key: r.key, value: r.value, headers: r.headers }))
    .sort(
      (a, b) =>
        Number(a.headers['dead-letter.partition']) -
          Number(b.headers['dead-letter.partition']) ||
        Number(a.headers['dead-letter.offset']) -
          Number(b.headers['dead-letter.offset']),
    );
}

describe('User Events pipeline, generated and run on Kafka and Spark', () => {
  const run = setUpPipelineTest(specFile, 2);

  it('aggregates closed windows into Delta, dead-letters records that do not parse or lack a required field, reports progress with input bytes and dead-letter counts, and resumes from its checkpoints without loss or duplicates', async () => {
    const watermarkAfter = (events: UserEvent[]) =>
      new Date(
        Math.max(...events.map(e => e.timestamp)) - 10 * MINUTE,
      ).toISOString();
    // The windows are written by the batch after the one that moved the watermark.
    const closed =
      (events: UserEvent[]) =>
      (last: { eventTime?: { watermark?: string }; numInputRows: number }) =>
        last.numInputRows === 0 &&
        last.eventTime?.watermark !== undefined &&
        new Date(last.eventTime.watermark).toISOString() ===
          watermarkAfter(events);

    // The junk among the good records.
    const good = records(firstEvents);
    await run.kafka.produceRecords(run.pipeline.sourceTopic, [
      ...good.slice(0, 3),
      unparseable[0],
      ...good.slice(3, 7),
      unparseable[1],
      unparseable[2],
      ...good.slice(7, 9),
      unparseable[3],
      ...good.slice(9),
    ]);
    run.pipeline.start();
    const first = await run.pipeline.waitProcessed(closed(firstEvents));
    expect(normalise(await run.reader.read(run.pipeline.sinkPath))).toEqual(
      expectedRows(firstEvents),
    );
    expect(first.batchIdsIncrease).toBe(true);
    expect(first.inputRows).toBe(firstEvents.length + unparseable.length);
    expect(first.badRecords).toBe(unparseable.length);
    expect(first.deadLetterRecords).toBe(unparseable.length);
    const deadLetterTopic = run.pipeline.deadLetterTopic!;
    expect(
      await deadLetters(run.kafka, deadLetterTopic, unparseable.length),
    ).toEqual(
      expectedDeadLetters(
        await run.kafka.readAll(run.pipeline.sourceTopic),
        run.pipeline.sourceTopic,
      ),
    );
    // Each event says what the driver really runs: local mode and its threads.
    expect(first.last?.runtime).toEqual({
      master: expect.stringMatching(/^local\[(\d+|\*)\]$/),
      defaultParallelism: expect.any(Number),
      executors: null,
    });
    expect(first.last!.runtime!.defaultParallelism).toBeGreaterThan(0);
    expect(first.inputBytes).toBe(
      bytesOf([...records(firstEvents), ...unparseable]),
    );
    expect(first.lastEndOffsets).toEqual(
      await run.kafka.endOffsets(run.pipeline.sourceTopic),
    );

    await run.pipeline.stop();
    await produce(run.kafka, run.pipeline.sourceTopic, laterEvents);
    await run.kafka.produceRecords(run.pipeline.sourceTopic, laterUnparseable);
    run.pipeline.start();
    const all = [...firstEvents, ...laterEvents];
    const second = await run.pipeline.waitProcessed(closed(all));
    expect(normalise(await run.reader.read(run.pipeline.sinkPath))).toEqual(
      expectedRows(all),
    );
    expect(second.runIds).toHaveLength(2);
    expect(second.batchIdsIncrease).toBe(true);
    const junk = [...unparseable, ...laterUnparseable];
    expect(second.inputRows).toBe(all.length + junk.length);
    expect(second.badRecords).toBe(junk.length);
    expect(second.deadLetterRecords).toBe(junk.length);
    expect(second.inputBytes).toBe(bytesOf([...records(all), ...junk]));
    // The dead-letter query resumed from its own checkpoint: each junk record once.
    expect(await deadLetters(run.kafka, deadLetterTopic, junk.length)).toEqual(
      expectedDeadLetters(
        await run.kafka.readAll(run.pipeline.sourceTopic),
        run.pipeline.sourceTopic,
      ),
    );
    expect(second.lastEndOffsets).toEqual(
      await run.kafka.endOffsets(run.pipeline.sourceTopic),
    );
    run.passed = true;
  });
});
