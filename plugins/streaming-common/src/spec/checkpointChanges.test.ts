import { checkpointChanges } from './checkpointChanges';
import { parsePipelineSpec } from './parsePipelineSpec';

const base = `pipeline:
  name: user-events-to-delta
  source:
    type: kafka
    topic: user-events
    format: json
    fields:
      - { name: event_type, type: string }
      - { name: country, type: string }
      - { name: amount, type: double }
      - { name: timestamp, type: timestamp }
  transformations:
    - type: filter
      condition: "event_type != 'heartbeat'"
    - type: watermark
      column: timestamp
      delay: "10 minutes"
    - type: aggregate
      window: "5 minutes"
      group_by: [event_type, country]
      metrics:
        - count: event_count
  sink:
    type: delta
    path: /data/delta/user_events_agg
    mode: append
    checkpoint: /checkpoints/user_events
`;

function spec(text: string) {
  const { spec: parsed, errors } = parsePipelineSpec(text);
  if (!parsed) throw new Error(JSON.stringify(errors));
  return parsed;
}

describe('checkpointChanges', () => {
  it('finds none for changes a checkpoint survives (filter, resources, trigger, thresholds)', () => {
    const after = base
      .replace("event_type != 'heartbeat'", "event_type != 'ping'")
      .replace('  sink:', '  trigger: "30 seconds"\n  sink:')
      .concat('  monitoring:\n    alert_on_lag: 120\n');
    expect(checkpointChanges(spec(base), spec(after))).toEqual([]);
  });

  it('names each change of the runbook list with its path and values', () => {
    const after = base
      .replace('topic: user-events', 'topic: user-events-v2')
      .replace('group_by: [event_type, country]', 'group_by: [event_type]')
      .replace('window: "5 minutes"', 'window: "10 minutes"')
      .replace('column: timestamp', 'column: amount_ts')
      .replace(
        '      - { name: timestamp, type: timestamp }',
        '      - { name: timestamp, type: timestamp }\n      - { name: amount_ts, type: timestamp }',
      )
      .replace('mode: append', 'mode: complete');
    const changes = checkpointChanges(spec(base), spec(after));
    expect(changes.map(c => [c.what, c.path])).toEqual([
      ['source', 'pipeline.source'],
      ['watermark', 'pipeline.transformations[1].column'],
      ['grouping', 'pipeline.transformations[2].group_by'],
      ['window', 'pipeline.transformations[2].window'],
      ['output mode', 'pipeline.sink.mode'],
    ]);
    expect(changes[0].before).toContain('"topic":"user-events"');
    expect(changes[0].after).toContain('"topic":"user-events-v2"');
    expect(changes[2]).toMatchObject({
      before: '["event_type","country"]',
      after: '["event_type"]',
    });
  });

  it('counts an added stateful step and a new sink table', () => {
    const after = base
      .replace(
        '    - type: aggregate',
        '    - type: deduplicate\n      columns: [event_type]\n    - type: aggregate',
      )
      .replace('/data/delta/user_events_agg', '/data/delta/user_events_v2');
    expect(
      checkpointChanges(spec(base), spec(after)).map(c => [c.what, c.path]),
    ).toEqual([
      ['deduplication', 'pipeline.transformations[2]'],
      ['sink', 'pipeline.sink'],
    ]);
  });

  it("names the environment whose own prefix or cluster moves its checkpoint's source or sink", () => {
    const environments = (devPrefix: string, prodCluster: string) =>
      base.concat(
        `  environments:\n    - { name: dev, namespace: dev, topic_prefix: ${devPrefix}, table_prefix: dev_ }\n    - { name: prod, namespace: prod, kafka_cluster: ${prodCluster} }\n`,
      );
    const changes = checkpointChanges(
      spec(environments('dev.', 'east')),
      spec(environments('test.', 'west')),
    );
    expect(changes.map(c => [c.what, c.path, c.environment, c.after])).toEqual([
      [
        'source',
        'pipeline.environments[0]',
        'dev',
        '{"type":"kafka","topic":"test.user-events"}',
      ],
      [
        'source',
        'pipeline.environments[1]',
        'prod',
        '{"type":"kafka","cluster":"west","topic":"user-events"}',
      ],
    ]);
    // A change every environment shares is named once, for the pipeline.
    const shared = checkpointChanges(
      spec(environments('dev.', 'east')),
      spec(
        environments('dev.', 'east').replace('topic: user-events', 'topic: v2'),
      ),
    );
    expect(shared.map(c => [c.what, c.path, c.environment])).toEqual([
      ['source', 'pipeline.source', undefined],
    ]);
  });
});
