import { parsePipelineSpec } from './parsePipelineSpec';
import {
  environmentQueryName,
  nextEnvironment,
  prefixLastFolder,
  resolveEnvironment,
} from './environments';
import { toPipelineSummary } from './toPipelineSummary';
import { pipelineSummarySchema } from './pipelineSummarySchema';

const SPEC = `
pipeline:
  name: user-events
  owner: group:default/team-growth
  source:
    type: kafka
    cluster: local
    topic: events
    format: json
    fields: [{ name: id, type: string }]
  transformations:
    - type: join
      table: { path: s3a://lake/dim/countries }
      on: [id]
  sink:
    type: delta
    path: /data/delta/event_summary
    checkpoint: /checkpoints/user-events
  dead_letter: { type: kafka, topic: events.dead-letter }
  resources:
    driver: { cores: 1, memory: 2g }
    executor: { cores: 2, memory: 4g, instances: 4 }
  monitoring:
    alert_on_lag: 60
    alert_channel: slack
  environments:
    - name: dev
      kafka_cluster: dev-kafka
      namespace: streaming-dev
      topic_prefix: dev.
      table_prefix: dev_
      resources:
        executor: { cores: 1, memory: 1g, instances: 1 }
      monitoring: { alert_on_lag: 600, alert_channel: none }
    - name: prod
      kubernetes_cluster: prod-east
      namespace: streaming
`;

function spec(text = SPEC) {
  const parsed = parsePipelineSpec(text);
  if (!parsed.spec) throw new Error(JSON.stringify(parsed.errors));
  return parsed.spec;
}

describe('environments', () => {
  it('applies an environment: clusters, prefixes, resources and monitoring', () => {
    const dev = resolveEnvironment(spec(), 'dev').pipeline;
    expect(dev.environments).toBeUndefined();
    expect(dev.source).toMatchObject({
      cluster: 'dev-kafka',
      topic: 'dev.events',
    });
    expect(dev.transformations[0]).toMatchObject({
      table: { path: 's3a://lake/dim/dev_countries' },
    });
    expect(dev.sink).toMatchObject({
      path: '/data/delta/dev_event_summary',
      checkpoint: '/checkpoints/dev_user-events',
    });
    expect(dev.dead_letter).toEqual({
      type: 'kafka',
      topic: 'dev.events.dead-letter',
    });
    expect(dev.resources).toEqual({
      driver: { cores: 1, memory: '2g' },
      executor: { cores: 1, memory: '1g', instances: 1 },
    });
    expect(dev.monitoring).toEqual({
      alert_on_lag: 600,
      alert_on_lag_messages: 10000,
      alert_channel: 'none',
    });
  });

  it('leaves what an environment does not override as the spec says', () => {
    const prod = resolveEnvironment(spec(), 'prod').pipeline;
    const { environments: _e, ...base } = spec().pipeline;
    expect(prod).toEqual(base);
  });

  it('names the environments when asked for one it lacks', () => {
    expect(() => resolveEnvironment(spec(), 'staging')).toThrow(
      'the pipeline user-events has no environment "staging"; it declares dev, prod',
    );
  });

  it('gives the next environment in promotion order', () => {
    expect(nextEnvironment(spec(), 'dev')?.name).toBe('prod');
    expect(nextEnvironment(spec(), 'prod')).toBeUndefined();
  });

  it('prefixes the last folder of any storage location', () => {
    expect(prefixLastFolder('/a/b/', 'x_')).toBe('/a/x_b');
    expect(prefixLastFolder('abfss://c@acct.dfs.core/t', 'x_')).toBe(
      'abfss://c@acct.dfs.core/x_t',
    );
  });

  it('summarizes each environment under its own progress key', () => {
    const summary = toPipelineSummary(spec());
    expect(pipelineSummarySchema.parse(summary)).toEqual(summary);
    expect(summary.environment).toBe('dev');
    expect(summary.queryName).toBe(environmentQueryName('user-events', 'dev'));
    expect(summary.source.topics).toEqual(['dev.events']);
    expect(
      summary.environments?.map(e => [
        e.name,
        e.namespace,
        e.kubernetesCluster,
        e.summary.queryName,
        e.summary.checkpoint,
        e.summary.thresholds.lagSeconds,
      ]),
    ).toEqual([
      [
        'dev',
        'streaming-dev',
        undefined,
        'user-events@dev',
        '/checkpoints/dev_user-events',
        600,
      ],
      [
        'prod',
        'streaming',
        'prod-east',
        'user-events@prod',
        '/checkpoints/user-events',
        60,
      ],
    ]);
  });

  it('keeps the summary of a spec without environments as it was', () => {
    const { environments: _e, ...pipeline } = spec().pipeline;
    const summary = toPipelineSummary({ pipeline });
    expect(summary.queryName).toBe('user-events');
    expect(summary).not.toHaveProperty('environments');
    expect(summary).not.toHaveProperty('environment');
  });

  it('refuses environments that would share a SparkApplication or a checkpoint', () => {
    const text = SPEC.replace(
      'namespace: streaming-dev',
      'namespace: streaming',
    )
      .replace('      table_prefix: dev_\n', '')
      .replace('      kubernetes_cluster: prod-east\n', '');
    expect(parsePipelineSpec(text).errors).toEqual([
      expect.objectContaining({
        path: 'pipeline.environments[1].namespace',
        message:
          'environments dev and prod would run the same SparkApplication (same Kubernetes cluster and namespace)',
      }),
      expect.objectContaining({
        path: 'pipeline.environments[1].table_prefix',
        message:
          'environments dev and prod would share the checkpoint /checkpoints/user-events and the tables',
      }),
    ]);
  });

  it('refuses a name declared twice and a bad name, naming the path', () => {
    const twice = parsePipelineSpec(SPEC.replace('name: prod', 'name: dev'));
    expect(twice.errors.map(e => `${e.path}: ${e.message}`)).toContain(
      'pipeline.environments[1].name: environment dev is declared twice',
    );
    const bad = parsePipelineSpec(SPEC.replace('name: prod', 'name: Prod_1'));
    expect(bad.errors.map(e => e.path)).toContain(
      'pipeline.environments[1].name',
    );
  });

  it('requires each environment to name its namespace', () => {
    const text = SPEC.replace('      namespace: streaming-dev\n', '');
    expect(
      parsePipelineSpec(text).errors.map(e => `${e.path}: ${e.message}`),
    ).toEqual([
      expect.stringMatching(/^pipeline\.environments\[0\]\.namespace: /),
    ]);
  });
});
