import { PipelineRun } from './__testUtils__/PipelineRun';
import { TestKafka } from '@internal/plugin-streaming-node/testUtils';

// A filter/select pipeline into a Kafka sink: warnings and errors of all services but
// auth, reduced to a few columns, keyed by trace id.
jest.setTimeout(20 * 60_000);

const specText = `
pipeline:
  name: error-logs-to-kafka
  owner: group:default/team-sre
  source:
    type: kafka
    topic: app-logs
    format: json
    fields:
      - { name: service, type: string }
      - { name: level, type: string }
      - { name: message, type: string }
      - { name: trace_id, type: string }
      - { name: ts, type: timestamp }
    starting_offsets: earliest
  transformations:
    - type: filter
      condition: "level IN ('WARN', 'ERROR', 'FATAL') AND service != 'auth'"
    - type: select
      columns: [trace_id, service, level, message, { name: ts, alias: event_time }]
  sink:
    type: kafka
    topic: app-errors
    key_column: trace_id
    checkpoint: /checkpoints/error-logs-to-kafka
  trigger: '2 seconds'
`;

type LogLine = {
  service: string;
  level: string;
  message: string;
  trace_id: string;
  ts: string;
};

const SERVICES = ['checkout', 'payments', 'auth', 'search'];
const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** Log lines that cover every branch of the filter: each service at each level. */
function logLines(from: number, count: number): LogLine[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      service: SERVICES[n % SERVICES.length],
      level: LEVELS[Math.floor(n / SERVICES.length) % LEVELS.length],
      message: `message ${n}: "quoted", 'single', {braces}`,
      trace_id: `trace-${String(n).padStart(4, '0')}`,
      ts: new Date(Date.parse('2026-01-05T10:00:00Z') + n * 1000).toISOString(),
    };
  });
}

/** What the sink topic must hold: one record per matching line, keyed by trace id. */
function expectedRecords(lines: LogLine[]) {
  return lines
    .filter(
      l => ['WARN', 'ERROR', 'FATAL'].includes(l.level) && l.service !== 'auth',
    )
    .map(l => ({
      key: l.trace_id,
      value: {
        trace_id: l.trace_id,
        service: l.service,
        level: l.level,
        message: l.message,
        event_time: l.ts,
      },
    }));
}

describe('Filter/select pipeline into a Kafka sink, generated and run on Kafka and Spark', () => {
  let kafka: TestKafka;
  let pipeline: PipelineRun;
  let passed = false;

  beforeAll(async () => {
    kafka = await TestKafka.start();
    pipeline = await PipelineRun.create({
      kafka,
      specText,
      sourcePartitions: 2,
    });
  });

  afterAll(async () => {
    await pipeline?.cleanUp(!passed);
    await kafka?.close();
  });

  /** The sink topic's records, values parsed and times normalised, in trace id order. */
  async function sinkRecords() {
    const records = await kafka.readAll(pipeline.sinkTopic!);
    return records
      .map(r => {
        const value = JSON.parse(r.value!);
        return {
          key: r.key,
          value: {
            ...value,
            event_time: new Date(value.event_time).toISOString(),
          },
        };
      })
      .sort((a, b) => String(a.key).localeCompare(String(b.key)));
  }

  it('writes exactly the matching records to the sink topic, reports progress, and resumes from its checkpoint', async () => {
    const first = logLines(0, 60);
    await kafka.produceRecords(
      pipeline.sourceTopic,
      first.map(l => ({ key: l.service, value: JSON.stringify(l) })),
    );
    pipeline.start();
    const progressBefore = await pipeline.waitProcessed();
    expect(await sinkRecords()).toEqual(expectedRecords(first));
    expect(progressBefore.batchIdsIncrease).toBe(true);
    expect(progressBefore.inputRows).toBe(first.length);
    expect(progressBefore.lastEndOffsets).toEqual(
      await kafka.endOffsets(pipeline.sourceTopic),
    );

    await pipeline.stop();
    const all = [...first, ...logLines(60, 40)];
    await kafka.produceRecords(
      pipeline.sourceTopic,
      all
        .slice(first.length)
        .map(l => ({ key: l.service, value: JSON.stringify(l) })),
    );
    pipeline.start();
    const progressAfter = await pipeline.waitProcessed();
    expect(await sinkRecords()).toEqual(expectedRecords(all));
    expect(progressAfter.runIds).toHaveLength(2);
    expect(progressAfter.batchIdsIncrease).toBe(true);
    expect(progressAfter.inputRows).toBe(all.length);
    expect(progressAfter.lastEndOffsets).toEqual(
      await kafka.endOffsets(pipeline.sourceTopic),
    );
    passed = true;
  });
});
