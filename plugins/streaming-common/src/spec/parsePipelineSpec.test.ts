import { readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { formatSpecError } from './SpecError';
import { parsePipelineSpec } from './parsePipelineSpec';
import { validatePipelineSpec } from './validatePipelineSpec';
import { pipelineSummarySchema } from './pipelineSummarySchema';
import { toPipelineSummary } from './toPipelineSummary';
import { pipelineSpecJsonSchema } from './pipelineSpecJsonSchema';

const examplesDir = resolve(__dirname, '../../../../examples/pipelines');
const reference = readFileSync(
  join(__dirname, '__fixtures__/reference.yaml'),
  'utf8',
);

function messages(text: string): string[] {
  return parsePipelineSpec(text).errors.map(formatSpecError);
}

/** The reference spec with one edit applied to its object form. */
function variant(edit: (p: any) => void) {
  const { spec } = parsePipelineSpec(reference);
  const copy = JSON.parse(JSON.stringify(spec));
  edit(copy.pipeline);
  return validatePipelineSpec(copy);
}

describe('parsePipelineSpec', () => {
  it('accepts the reference YAML as it stands', () => {
    const result = parsePipelineSpec(reference);
    expect(result.errors).toEqual([]);
    expect(result.spec?.pipeline.name).toBe('user-events-to-delta');
    expect(result.spec?.pipeline.source).toMatchObject({
      type: 'kafka',
      format: 'json',
      starting_offsets: 'latest',
    });
  });

  it.each(readdirSync(examplesDir))('accepts the example %s', name => {
    const result = parsePipelineSpec(
      readFileSync(join(examplesDir, name, 'pipeline.yaml'), 'utf8'),
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.spec?.pipeline.name).toBe(name);
  });

  it('gives no two examples the same checkpoint', () => {
    const checkpoints = readdirSync(examplesDir).map(
      name =>
        parsePipelineSpec(
          readFileSync(join(examplesDir, name, 'pipeline.yaml'), 'utf8'),
        ).spec!.pipeline.sink.checkpoint,
    );
    expect(new Set(checkpoints).size).toBe(checkpoints.length);
  });

  it('reports every error at once, with paths, positions and suggestions', () => {
    const result = parsePipelineSpec(`pipeline:
  name: Bad_Name
  source: { type: kafka, topic: __consumer_offsets, formt: json }
  transformations:
    - type: fliter
      condition: "a = 1"
    - type: aggregate
      window: 5 mins please
      metrics: [{ count: n }]
  sink: { type: delta, path: /data/t, mode: complet, checkpoint: /c }
`);
    expect(result.spec).toBeUndefined();
    expect(result.errors.map(formatSpecError)).toEqual([
      'pipeline.name: expected a Kubernetes name: lower-case letters, digits and "-", starting with a letter and not ending with "-"',
      'pipeline.source.topic: topic names starting with "__" are reserved for Kafka\'s internal topics (__consumer_offsets, __transaction_state, ...)',
      'pipeline.source.formt: unknown field; did you mean "format"?',
      'pipeline.transformations[0].type: unknown "fliter"; did you mean "filter"?',
      'pipeline.transformations[1].window: expected a duration such as "5 minutes"',
      'pipeline.sink.mode: unknown "complet"; did you mean "complete"?',
    ]);
    expect(result.errors[3]).toMatchObject({ line: 5, column: 13 });
  });

  it('reports YAML syntax errors with their position', () => {
    const [error] = parsePipelineSpec('pipeline:\n  name: [x\n').errors;
    expect(error.message).toMatch(/^invalid YAML/);
    expect(error.line).toBeGreaterThan(0);
  });

  it('refuses duplicate keys', () => {
    expect(messages('pipeline:\n  name: a\n  name: b\n')[0]).toMatch(
      /invalid YAML.*unique/i,
    );
  });

  it('explains an expression error with its position', () => {
    const result = variant(p => {
      p.transformations[0].condition = "event_type != 'x' AND";
    });
    expect(result.errors.map(formatSpecError)).toEqual([
      'pipeline.transformations[0].condition: at position 22: unexpected the end of the expression',
    ]);
  });

  it.each([
    [
      'a missing checkpoint',
      (p: any) => {
        delete p.sink.checkpoint;
      },
      'pipeline.sink.checkpoint: required: expected string',
    ],
    [
      'a name too long for the Spark Operator',
      (p: any) => {
        p.name = 'a'.repeat(31);
      },
      'pipeline.name: expected at most 30 characters: the Spark Operator derives Kubernetes names (at most 63 characters) from it',
    ],
    [
      'a reserved topic',
      (p: any) => {
        p.source.topic = '__transaction_state';
      },
      'pipeline.source.topic: topic names starting with "__" are reserved for Kafka\'s internal topics (__consumer_offsets, __transaction_state, ...)',
    ],
    [
      'a topic with characters Kafka refuses',
      (p: any) => {
        p.source.topic = 'user events';
      },
      'pipeline.source.topic: expected a Kafka topic name: 1 to 249 characters of letters, digits, ".", "_" and "-"',
    ],
    [
      'a topic named ".."',
      (p: any) => {
        p.source.topic = '..';
      },
      'pipeline.source.topic: a topic cannot be named "." or ".."',
    ],
    [
      'a duration that does not parse',
      (p: any) => {
        p.transformations[1].delay = 'ten minutes';
      },
      'pipeline.transformations[1].delay: expected a duration such as "5 minutes"',
    ],
  ])(
    'refuses %s (field rules; rule groups: rules/*.test.ts)',
    (_, edit, message) => {
      const result = variant(edit);
      expect(result.spec).toBeUndefined();
      expect(result.errors.map(formatSpecError)).toContain(message);
    },
  );

  it('checks a validated spec again once it has changed', () => {
    const { spec } = parsePipelineSpec(reference);
    expect(validatePipelineSpec(spec).spec).toBe(spec);
    const unchanged = validatePipelineSpec(spec);
    expect(unchanged.errors).toEqual([]);
    spec!.pipeline.name = 'Not A Name';
    expect(validatePipelineSpec(spec).errors.map(formatSpecError)).toEqual([
      expect.stringMatching(/^pipeline\.name: /),
    ]);
    // Validated without options; with a schema file's fields, checked again.
    const { spec: other } = parsePipelineSpec(reference);
    const withFields = { schemaFields: ['nothing'] };
    const checked = validatePipelineSpec(other, withFields);
    expect(checked.spec).toBeUndefined();
    expect(checked.errors.length).toBeGreaterThan(0);
    expect(checked.errors).toEqual(
      validatePipelineSpec(structuredClone(other), withFields).errors,
    );
  });

  it('names each problem of a dead-letter target', () => {
    const errors = (deadLetter: unknown) =>
      variant(p => {
        p.dead_letter = deadLetter;
      }).errors.map(formatSpecError);
    expect(errors({ type: 'kafka', topic: 'events.dead-letter' })).toEqual([]);
    expect(errors({ type: 'kafka', topic: '__bad' })).toEqual([
      'pipeline.dead_letter.topic: topic names starting with "__" are reserved for Kafka\'s internal topics (__consumer_offsets, __transaction_state, ...)',
    ]);
    expect(errors({ type: 'delta', path: 'relative/bad' })).toEqual([
      expect.stringMatching(/^pipeline\.dead_letter\.path: /),
    ]);
    expect(errors({ type: 'kafka', path: '/data/bad' })).toEqual([
      'pipeline.dead_letter.topic: required: expected string',
      'pipeline.dead_letter.path: unknown field; expected one of type, topic',
    ]);
  });

  it('takes an Elasticsearch sink on a named search cluster or on node URLs, one of the two', () => {
    const errors = (target: Record<string, string>) =>
      variant(p => {
        p.sink = {
          type: 'elasticsearch',
          index: 'user-events',
          checkpoint: '/checkpoints/user_events',
          ...target,
        };
        p.transformations = [];
      }).errors.map(formatSpecError);
    expect(errors({ cluster: 'logs-eu' })).toEqual([]);
    expect(errors({ nodes: 'http://es-1:9200,http://es-2:9200' })).toEqual([]);
    expect(errors({})).toEqual([
      'pipeline.sink.cluster: required: cluster (a search cluster named in app-config) or nodes (node URLs such as http://es:9200)',
    ]);
    expect(errors({ cluster: 'logs-eu', nodes: 'http://es:9200' })).toEqual([
      'pipeline.sink.nodes: give either cluster (a search cluster named in app-config) or nodes, not both',
    ]);
    expect(errors({ cluster: 'Logs_EU' })).toEqual([
      'pipeline.sink.cluster: expected the name of a search cluster configured in app-config (streaming.search.clusters): at most 42 lower-case letters, digits and "-", starting and ending with a letter or digit',
    ]);
  });

  it('rejects a spec text that is too large', () => {
    expect(
      messages(`pipeline:\n  description: "${'x'.repeat(300_000)}"\n`),
    ).toEqual(['(document): the spec is larger than 262144 characters']);
  });
});

describe('toPipelineSummary', () => {
  it('applies the defaults', () => {
    const { spec } = parsePipelineSpec(reference);
    expect(toPipelineSummary(spec!)).toEqual({
      name: 'user-events-to-delta',
      queryName: 'user-events-to-delta',
      source: { type: 'kafka', topics: ['user-events'] },
      sink: {
        type: 'delta',
        mode: 'append',
        path: '/data/delta/user_events_agg',
      },
      checkpoint: '/checkpoints/user_events',
      thresholds: { lagSeconds: 60, lagMessages: 10000, channel: 'slack' },
      resources: {
        driver: { cores: 1, memoryGb: 2 },
        executor: { cores: 2, memoryGb: 4, instances: 2 },
      },
    });
  });

  it('summarizes the dead-letter target, which the summary schema reads back', () => {
    for (const deadLetter of [
      { type: 'kafka', topic: 'user-events.bad' },
      { type: 'delta', path: '/data/delta/quarantine' },
    ]) {
      const summary = toPipelineSummary(
        variant(p => {
          p.dead_letter = deadLetter;
        }).spec!,
      );
      expect(summary.deadLetter).toEqual(deadLetter);
      expect(pipelineSummarySchema.parse(summary)).toEqual(summary);
    }
    expect(toPipelineSummary(variant(() => {}).spec!).deadLetter).toBe(
      undefined,
    );
  });

  it('summarizes the registry subject a source names, which the summary schema reads back', () => {
    const { spec, errors } = variant(p => {
      p.source.format = 'avro';
      p.source.avro_wire_format = 'confluent';
      delete p.source.schema;
      delete p.source.fields;
      p.source.schema = {
        registry: 'local',
        subject: 'com.acme.UserEvent',
        version: 3,
      };
    });
    expect(errors).toEqual([]);
    const summary = toPipelineSummary(spec!);
    expect(summary.source.schemaSubject).toEqual({
      registry: 'local',
      subject: 'com.acme.UserEvent',
    });
    expect(pipelineSummarySchema.parse(summary)).toEqual(summary);
    expect(
      toPipelineSummary(variant(() => {}).spec!).source.schemaSubject,
    ).toBe(undefined);
  });

  it('converts memory strings to gigabytes', () => {
    const result = variant(p => {
      p.resources = {
        driver: { memory: '512m' },
        executor: { memory: '8G', instances: 3, max_instances: 6 },
      };
    });
    expect(toPipelineSummary(result.spec!).resources).toEqual({
      driver: { cores: 1, memoryGb: 0.5 },
      executor: { cores: 2, memoryGb: 8, instances: 3, maxInstances: 6 },
    });
  });

  it('writes what pipelineSummarySchema reads back, and nothing less', () => {
    const summary = toPipelineSummary(parsePipelineSpec(reference).spec!);
    const roundTrip = JSON.parse(JSON.stringify(summary));
    expect(pipelineSummarySchema.parse(roundTrip)).toEqual(summary);
    const { thresholds: _thresholds, ...withoutThresholds } = roundTrip;
    expect(pipelineSummarySchema.safeParse(withoutThresholds).success).toBe(
      false,
    );
  });
});

describe('pipelineSpecJsonSchema', () => {
  it('describes the spec from the same schema', () => {
    const schema = pipelineSpecJsonSchema() as any;
    const pipeline = schema.properties.pipeline;
    expect(pipeline.required).toEqual(['name', 'source', 'sink']);
    expect(pipeline.additionalProperties).toBe(false);
    const types = pipeline.properties.transformations.items.oneOf.map(
      (o: any) => o.properties.type.const,
    );
    expect(types).toEqual([
      'filter',
      'watermark',
      'aggregate',
      'select',
      'rename',
      'cast',
      'drop',
      'deduplicate',
      'join',
    ]);
  });
});

describe('column names that are also property names of JavaScript objects', () => {
  const spec = (steps: string, sinkExtra = '') => `pipeline:
  name: proto-columns
  source:
    type: kafka
    topic: t
    fields:
      - { name: constructor, type: string }
      - { name: toString, type: string }
      - { name: __proto__, type: string }
      - { name: hasOwnProperty, type: string }
  transformations:
${steps}
  sink:
    type: delta
    path: /data/delta/proto
    checkpoint: /checkpoints/proto
${sinkExtra}`;

  it('keeps a rename or cast of __proto__, constructor and toString', () => {
    const result = parsePipelineSpec(
      spec(`    - type: cast
      columns: { toString: int, __proto__: long }
    - type: rename
      columns: { __proto__: proto, constructor: ctor }`),
    );
    expect(result.errors).toEqual([]);
    const [cast, rename] = result.spec!.pipeline.transformations as any[];
    expect(Object.entries(rename.columns)).toEqual([
      ['__proto__', 'proto'],
      ['constructor', 'ctor'],
    ]);
    expect(Object.entries(cast.columns)).toEqual([
      ['toString', 'int'],
      ['__proto__', 'long'],
    ]);
  });

  it('tracks them through the steps to the sink', () => {
    const result = parsePipelineSpec(
      spec(
        `    - type: rename
      columns: { __proto__: proto }`,
        '    mode: merge\n    merge_keys: [toString, hasOwnProperty, proto]',
      ),
    );
    expect(result.errors).toEqual([]);
    expect(
      parsePipelineSpec(
        spec(
          `    - type: rename
      columns: { constructor: ctor }`,
          '    mode: merge\n    merge_keys: [constructor]',
        ),
      ).errors.map(formatSpecError),
    ).toEqual([
      'pipeline.sink.merge_keys[0]: unknown column "constructor" in the pipeline\'s output',
    ]);
  });

  it('refuses them as functions of an expression', () => {
    expect(
      messages(
        spec(`    - type: filter
      condition: "constructor(toString) = 'a'"`),
      ),
    ).toEqual([
      expect.stringMatching(
        /^pipeline\.transformations\[0\]\.condition: at position 1: unknown function "constructor"/,
      ),
    ]);
  });
});

describe('maintenance schedules', () => {
  const withSchedule = (schedule: string) =>
    variant(p => {
      p.sink.maintenance = { schedule };
    });

  it.each([
    '0 3 * * 0',
    '@weekly',
    '@daily',
    '15 */6 * * MON-FRI',
    '0 0 1 JAN,JUL *',
    '30 2 * * 7',
  ])('accepts %j', schedule => {
    expect(withSchedule(schedule).errors).toEqual([]);
  });

  it.each([
    [
      '* * * * *',
      /the schedule runs 60 times an hour; table maintenance runs at most once an hour/,
    ],
    ['*/5 3 * * *', /the schedule runs 12 times an hour/],
    ['61 3 * * *', /the minute field of the cron schedule must be 0-59/],
    ['0 24 * * *', /the hour field .* must be 0-23/],
    ['0 3 * * 8', /the day of week field/],
    ['0 3 5-1 * *', /the day of month field/],
    ['0 3 * * * *', /expected a cron schedule of five fields/],
    ['@reboot', /expected a cron schedule of five fields/],
    ['0 3 * * FOO', /the day of week field/],
  ])('refuses %j', (schedule, message) => {
    const result = withSchedule(schedule);
    expect(result.errors.map(formatSpecError)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^pipeline\\.sink\\.maintenance\\.schedule: ${message.source}`,
        ),
      ),
    ]);
  });
});
