import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import { renderPipeline } from '../renderPipeline';

const FIXTURES = join(__dirname, '../__fixtures__/specs');

function spec(text: string) {
  const parsed = parsePipelineSpec(text);
  if (!parsed.spec) throw new Error(JSON.stringify(parsed.errors));
  return parsed.spec;
}

function render(text: string, options = {}) {
  return Object.fromEntries(
    renderPipeline(spec(text), { includeSpec: false, ...options }).map(f => [
      f.path,
      f.content,
    ]),
  );
}

const MATRIX = readFileSync(join(FIXTURES, 'matrix-environments.yaml'), 'utf8');
const files = render(MATRIX, {
  repositoryUrl: 'https://git.example.com/streaming/matrix-environments.git',
  kubernetesCluster: 'local',
});
const yamlFile = (path: string) => {
  expect(files).toHaveProperty([path]);
  return parse(files[path]);
};

/** Plain variables (name and value) of a pod's environment. */
const values = (env: Array<{ name: string; value?: string }>) =>
  env.filter(v => v.value !== undefined).map(v => [v.name, v.value]);

describe('per-environment deployment files', () => {
  it('writes deploy/<environment>/ and argocd/<environment>.yaml instead of the single ones', () => {
    const paths = Object.keys(files);
    expect(paths.filter(p => /^(deploy|argocd)\//.test(p))).toEqual([
      'argocd/dev.yaml',
      'argocd/prod.yaml',
      'deploy/dev/prometheus-rule.yaml',
      'deploy/dev/spark-application.yaml',
      'deploy/dev/table-maintenance.yaml',
      'deploy/grafana-dashboard.json',
      'deploy/prod/prometheus-rule.yaml',
      'deploy/prod/spark-application.yaml',
      'deploy/prod/table-maintenance.yaml',
    ]);
  });

  it('runs dev in its namespace with its topics, tables, Kafka cluster and resources', () => {
    const app = yamlFile('deploy/dev/spark-application.yaml');
    expect(app.metadata.namespace).toBe('streaming-dev');
    expect(app.metadata.labels['streaming-platform.dev/environment']).toBe(
      'dev',
    );
    for (const pod of [app.spec.driver, app.spec.executor]) {
      expect(pod.labels['streaming-platform.dev/environment']).toBe('dev');
      expect(values(pod.env)).toEqual([
        ['PIPELINE_ENVIRONMENT', 'dev'],
        ['PIPELINE_SOURCE_TOPIC', 'dev.matrix.orders'],
        ['PIPELINE_JOIN_1_PATH', '/data/delta/dev_countries'],
        ['PIPELINE_CHECKPOINT', '/checkpoints/dev_matrix-environments'],
        ['PIPELINE_SINK_PATH', '/data/delta/dev_orders'],
        ['PIPELINE_DEAD_LETTER_TOPIC', 'dev.matrix.orders.dead-letter'],
      ]);
      expect(pod.env[0]).toEqual({
        name: 'KAFKA_BOOTSTRAP_SERVERS',
        valueFrom: {
          configMapKeyRef: {
            name: 'kafka-dev-kafka',
            key: 'bootstrap.servers',
          },
        },
      });
      expect(pod.envFrom).toEqual([
        { secretRef: { name: 'kafka-dev-kafka-credentials', optional: true } },
      ]);
    }
    expect(app.spec.driver).toMatchObject({ cores: 1, memory: '2g' });
    expect(app.spec.executor).toMatchObject({
      cores: 1,
      memory: '1g',
      instances: 1,
    });
  });

  it("runs prod in its namespace with the spec's own values, so only its name is set", () => {
    const app = yamlFile('deploy/prod/spark-application.yaml');
    expect(app.metadata.namespace).toBe('streaming-prod');
    expect(values(app.spec.driver.env)).toEqual([
      ['PIPELINE_ENVIRONMENT', 'prod'],
    ]);
    expect(app.spec.driver.env[0].valueFrom.configMapKeyRef.name).toBe(
      'kafka-local',
    );
    expect(app.spec.executor).toMatchObject({
      cores: 2,
      memory: '4g',
      instances: 4,
    });
  });

  it('sets only variables the one job reads, whose defaults are the spec without environments', () => {
    const main = files['job/main.py'];
    const dev = yamlFile('deploy/dev/spark-application.yaml');
    for (const [name] of values(dev.spec.driver.env).slice(1)) {
      expect(main).toContain(`setting("${name}", `);
    }
    expect(main).toContain('setting("PIPELINE_SOURCE_TOPIC", "matrix.orders")');
    expect(main).not.toContain('dev');
  });

  it('maintains each environment its own table, in its namespace', () => {
    const dev = yamlFile('deploy/dev/table-maintenance.yaml');
    expect(dev.metadata.namespace).toBe('streaming-dev');
    expect(values(dev.spec.template.driver.env)).toContainEqual([
      'PIPELINE_SINK_PATH',
      '/data/delta/dev_orders',
    ]);
    expect(files['job/maintenance.py']).toContain(
      'os.environ.get("PIPELINE_SINK_PATH")',
    );
    const prod = yamlFile('deploy/prod/table-maintenance.yaml');
    expect(prod.metadata.namespace).toBe('streaming-prod');
    expect(values(prod.spec.template.driver.env)).toEqual([
      ['PIPELINE_ENVIRONMENT', 'prod'],
    ]);
  });

  it("alerts on each environment's query name with its thresholds and channel", () => {
    const dev = yamlFile('deploy/dev/prometheus-rule.yaml');
    expect(dev.metadata.namespace).toBe('streaming-dev');
    const rules = dev.spec.groups[0].rules;
    expect(rules.map((r: any) => r.expr)).toEqual([
      'max(streaming_pipeline_lag_messages{pipeline="matrix-environments",environment="dev"}) > 25000',
      'max(streaming_pipeline_lag_messages{pipeline="matrix-environments",environment="dev"}) > 50000',
      'max(streaming_pipeline_lag_seconds{pipeline="matrix-environments",environment="dev"}) > 450',
      'max(streaming_pipeline_lag_seconds{pipeline="matrix-environments",environment="dev"}) > 900',
      'time() - max(streaming_pipeline_last_batch_timestamp_seconds{pipeline="matrix-environments",environment="dev"}) > 600',
    ]);
    expect(rules[1].labels).toEqual({
      severity: 'critical',
      pipeline: 'matrix-environments',
      environment: 'dev',
      channel: 'slack',
    });
    const prod = yamlFile('deploy/prod/prometheus-rule.yaml');
    expect(prod.spec.groups[0].rules[3]).toMatchObject({
      expr: 'max(streaming_pipeline_lag_seconds{pipeline="matrix-environments",environment="prod"}) > 120',
      labels: { environment: 'prod', channel: 'pagerduty' },
    });
  });

  it("syncs each environment's folder into its namespace and cluster", () => {
    const dev = yamlFile('argocd/dev.yaml');
    expect(dev.metadata.name).toBe('matrix-environments-dev');
    expect(dev.spec.source.path).toBe('deploy/dev');
    expect(dev.spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'streaming-dev',
    });
    const prod = yamlFile('argocd/prod.yaml');
    expect(prod.spec.source.path).toBe('deploy/prod');
    expect(prod.spec.destination).toEqual({
      name: 'prod-east',
      namespace: 'streaming-prod',
    });
  });

  it('points the catalog entity at the first environment', () => {
    const { annotations } = yamlFile('catalog-info.yaml').metadata;
    expect(annotations).toMatchObject({
      'streaming-platform.dev/spark-application':
        'streaming-dev/matrix-environments',
      'streaming-platform.dev/kubernetes-cluster': 'local',
      'streaming-platform.dev/kafka-cluster': 'dev-kafka',
    });
    const reordered = MATRIX.replace(
      / {4}(- name: dev[\s\S]*?) {4}(- name: prod[\s\S]*)$/,
      '    $2    $1',
    );
    const prodFirst = parse(render(reordered)['catalog-info.yaml']);
    expect(prodFirst.metadata.annotations).toMatchObject({
      'streaming-platform.dev/spark-application':
        'streaming-prod/matrix-environments',
      'streaming-platform.dev/kubernetes-cluster': 'prod-east',
    });
  });

  it('gives an environment its search cluster and index, and a Kafka sink its topic', () => {
    const search = render(`
pipeline:
  name: logs
  source: { type: kafka, topic: logs, fields: [{ name: m, type: string }] }
  sink: { type: elasticsearch, index: logs, nodes: "http://es:9200", checkpoint: /checkpoints/logs }
  environments:
    - { name: dev, namespace: dev, search_cluster: search-dev, table_prefix: dev- }
    - { name: prod, namespace: streaming }
`);
    const dev = parse(search['deploy/dev/spark-application.yaml']);
    expect(values(dev.spec.driver.env)).toEqual([
      ['PIPELINE_ENVIRONMENT', 'dev'],
      ['PIPELINE_CHECKPOINT', '/checkpoints/dev-logs'],
      ['PIPELINE_SINK_INDEX', 'dev-logs'],
    ]);
    expect(dev.spec.driver.env).toContainEqual({
      name: 'ELASTICSEARCH_NODES',
      valueFrom: {
        configMapKeyRef: { name: 'elasticsearch-search-dev', key: 'nodes' },
      },
    });
    expect(search['job/main.py']).toContain(
      'setting("ELASTICSEARCH_NODES", "http://es:9200")',
    );

    const kafka = render(`
pipeline:
  name: copy
  source: { type: kafka, topic: in, fields: [{ name: m, type: string }] }
  sink: { type: kafka, topic: out, checkpoint: /checkpoints/copy }
  environments:
    - { name: dev, namespace: dev, topic_prefix: dev., table_prefix: dev_ }
    - { name: prod, namespace: streaming }
`);
    expect(
      values(parse(kafka['deploy/dev/spark-application.yaml']).spec.driver.env),
    ).toEqual([
      ['PIPELINE_ENVIRONMENT', 'dev'],
      ['PIPELINE_SOURCE_TOPIC', 'dev.in'],
      ['PIPELINE_CHECKPOINT', '/checkpoints/dev_copy'],
      ['PIPELINE_SINK_TOPIC', 'dev.out'],
    ]);
    expect(kafka).not.toHaveProperty(['deploy/dev/table-maintenance.yaml']);
    expect(kafka).not.toHaveProperty(['argocd/dev.yaml']);
  });
});
