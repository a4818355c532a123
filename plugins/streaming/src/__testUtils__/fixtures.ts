import { Entity } from '@backstage/catalog-model';
import { TECHDOCS_ANNOTATION } from '@backstage/plugin-techdocs-common';
import {
  ANNOTATION_DELTA_PATH,
  ANNOTATION_ELASTICSEARCH_INDEX,
  ANNOTATION_ELASTICSEARCH_NODES,
  ANNOTATION_KAFKA_TOPIC,
  ANNOTATION_PIPELINE_SUMMARY,
  DeltaTableDetailsResponse,
  MicroBatch,
  PipelineCostResponse,
  PipelineLagResponse,
  PipelineMetricsResponse,
  PipelineStatusResponse,
  PipelineSummary,
  SearchIndexDetailsResponse,
  StreamingOverviewResponse,
  TopicDetailsResponse,
} from '@internal/plugin-streaming-common';

/** Test data shaped like the User Events reference pipeline. */
export const summary: PipelineSummary = {
  name: 'user-events',
  queryName: 'user-events',
  source: { type: 'kafka', cluster: 'local', topics: ['events'] },
  sink: { type: 'delta', mode: 'append', path: '/data/delta/event_summary' },
  checkpoint: '/checkpoints/user-events',
  thresholds: { lagSeconds: 60, lagMessages: 10000, channel: 'slack' },
  resources: {
    driver: { cores: 1, memoryGb: 2 },
    executor: { cores: 2, memoryGb: 4, instances: 4, maxInstances: 8 },
  },
  trigger: '5 seconds',
};

export const pipelineEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'user-events',
    namespace: 'default',
    title: 'User Events',
    annotations: {
      [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify(summary),
      [TECHDOCS_ANNOTATION]: 'dir:.',
    },
  },
  spec: { type: 'streaming-pipeline', owner: 'team-growth' },
  relations: [
    { type: 'dependsOn', targetRef: 'resource:default/kafka-local-events' },
    {
      type: 'dependencyOf',
      targetRef: 'resource:default/delta-event-summary',
    },
  ],
};

/** The same pipeline before the catalog processor annotated it. */
export const bareEntity: Entity = {
  ...pipelineEntity,
  metadata: { name: 'user-events', namespace: 'default' },
  relations: [],
};

export const topicEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'kafka-local-events',
    namespace: 'default',
    title: 'events',
    annotations: { [ANNOTATION_KAFKA_TOPIC]: 'events' },
  },
  spec: { type: 'kafka-topic', owner: 'team-growth' },
  relations: [
    { type: 'dependencyOf', targetRef: 'component:default/user-events' },
  ],
};

export const tableEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'delta-event-summary',
    namespace: 'default',
    title: 'event_summary',
    annotations: { [ANNOTATION_DELTA_PATH]: '/data/delta/event_summary' },
  },
  spec: { type: 'delta-table', owner: 'team-growth' },
  relations: [
    { type: 'dependsOn', targetRef: 'component:default/user-events' },
    { type: 'dependencyOf', targetRef: 'component:default/daily-report' },
  ],
};

export const indexEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'es.app-logs-errors',
    namespace: 'default',
    title: 'app-logs-errors',
    annotations: {
      [ANNOTATION_ELASTICSEARCH_INDEX]: 'app-logs-errors',
      [ANNOTATION_ELASTICSEARCH_NODES]: 'http://localhost:9200',
    },
  },
  spec: { type: 'elasticsearch-index', owner: 'team-sre' },
  relations: [
    { type: 'dependsOn', targetRef: 'component:default/log-analytics' },
  ],
};

export const downstreamPipeline: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'daily-report',
    namespace: 'default',
    title: 'Daily Report',
  },
  spec: { type: 'streaming-pipeline', owner: 'team-growth' },
  relations: [
    { type: 'dependsOn', targetRef: 'resource:default/delta-event-summary' },
  ],
};

function batch(i: number): MicroBatch {
  return {
    batchId: 100 + i,
    timestamp: new Date(Date.UTC(2026, 0, 1, 12, 0, i * 5)).toISOString(),
    numInputRows: 5000,
    inputRowsPerSecond: 1000 + i * 10,
    processedRowsPerSecond: 1200 + i * 10,
    durationMs: { triggerExecution: 3400, addBatch: 3000 },
    watermark: new Date(Date.UTC(2026, 0, 1, 11, 50, i * 5)).toISOString(),
    stateOperators: [
      {
        operatorName: 'stateStoreSave',
        numRowsTotal: 24_000,
        numRowsUpdated: 1_200,
        memoryUsedBytes: 52_000_000,
        numRowsDroppedByWatermark: 3,
      },
    ],
    sources: [
      {
        description: 'KafkaV2[Subscribe[events]]',
        endOffset: { events: { '0': 1000 + i, '1': 2000 + i } },
        numInputRows: 5000,
      },
    ],
    sinkNumOutputRows: 40,
  };
}

export const metrics: PipelineMetricsResponse = {
  entityRef: 'component:default/user-events',
  batches: [0, 1, 2, 3].map(batch),
  summary: {
    inputRowsPerSecond: 1234,
    processedRowsPerSecond: 1500,
    avgBatchDurationMs: 3400,
    p95BatchDurationMs: 5100,
    totalInputRows: 20_000,
    watermark: '2026-01-01T11:50:15.000Z',
    lastBatchAt: '2026-01-01T12:00:15.000Z',
    lastBatchAgeSeconds: 4,
  },
};

export const lag: PipelineLagResponse = {
  entityRef: 'component:default/user-events',
  cluster: 'local',
  method: 'spark-progress',
  totalMessages: 1200,
  maxLagSeconds: 3.4,
  partitions: [
    {
      topic: 'events',
      partition: 0,
      latestOffset: '1800',
      consumedOffset: '1000',
      lagMessages: 800,
      lagSeconds: 3.4,
    },
    {
      topic: 'events',
      partition: 1,
      latestOffset: '2400',
      consumedOffset: '2000',
      lagMessages: 400,
      lagSeconds: 1.2,
      issue: 'new-partition',
    },
  ],
  history: [
    { time: '2026-01-01T12:00:00.000Z', lagMessages: 900, lagSeconds: 2 },
    { time: '2026-01-01T12:00:05.000Z', lagMessages: 1200, lagSeconds: 3.4 },
  ],
  thresholds: { lagSeconds: 60, lagMessages: 10000 },
  observedAt: '2026-01-01T12:00:05.000Z',
  ageSeconds: 2,
  errors: [],
};

export const status: PipelineStatusResponse = {
  entityRef: 'component:default/user-events',
  health: 'warning',
  reasons: ['Lag of 6,000 messages is above half the threshold of 10,000'],
  runbookSection: 'lag',
  running: true,
  runningSource: 'kubernetes',
  lastBatchAt: '2026-01-01T12:00:15.000Z',
  lastBatchAgeSeconds: 4,
  application: {
    cluster: 'prod',
    namespace: 'streaming',
    name: 'user-events',
    state: 'RUNNING',
    suspended: false,
    executors: { running: 8, total: 8, max: 8 },
    driverUiUrl: 'https://spark.example.com/user-events',
  },
  scalingHint: 'Lag rises while executors are at their maximum of 8.',
  errors: [],
};

export const cost: PipelineCostResponse = {
  entityRef: 'component:default/user-events',
  currency: 'USD',
  source: 'rates',
  running: true,
  perHour: 1.71,
  perDay: 41,
  perMonth: 1234,
  perMillionRecords: 0.38,
  breakdown: { driverPerHour: 0.15, executorsPerHour: 1.56 },
  resources: summary.resources,
  uptimeHours: 48,
  costSinceStart: 82,
  history: [
    { date: '2026-01-01', cost: 40 },
    { date: '2026-01-02', cost: 41 },
  ],
  errors: [],
};

export const topic: TopicDetailsResponse = {
  entityRef: 'resource:default/kafka-local-events',
  cluster: 'local',
  topic: 'events',
  partitions: [
    {
      partition: 0,
      leader: 1,
      replicas: [1],
      isr: [1],
      earliestOffset: '0',
      latestOffset: '1800',
    },
    {
      partition: 1,
      leader: null,
      replicas: [1],
      isr: [],
      earliestOffset: '0',
      latestOffset: '2400',
    },
  ],
  messagesPerSecond: 50_000,
  totalMessages: 4200,
  observedAt: '2026-01-01T12:00:05.000Z',
  ageSeconds: 1,
  errors: [],
};

export const searchIndex: SearchIndexDetailsResponse = {
  entityRef: 'resource:default/es.app-logs-errors',
  cluster: 'local',
  index: 'app-logs-errors',
  health: 'yellow',
  documents: 5731,
  sizeBytes: 1_808_483,
  primaryShards: 1,
  replicaShards: 1,
  observedAt: '2026-01-01T12:00:05.000Z',
};

export const table: DeltaTableDetailsResponse = {
  entityRef: 'resource:default/delta-event-summary',
  location: '/data/delta/event_summary',
  readable: true,
  version: 42,
  lastOperation: {
    operation: 'STREAMING UPDATE',
    timestamp: '2026-01-01T12:00:15.000Z',
  },
  numFiles: 1500,
  sizeBytes: 2_500_000_000,
  schema: [
    { name: 'event_type', type: 'string', nullable: true },
    { name: 'event_count', type: 'long', nullable: false },
  ],
  errors: [],
};

const names = [
  ['user-events', 'User Events', 'events', 'Delta: event_summary', 'ok'],
  ['order-stream', 'Order Stream', 'orders', 'Delta: order_facts', 'ok'],
  ['clickstream', 'Clickstream', 'clicks', 'Delta: click_agg', 'warning'],
  ['cdc-postgres-users', 'CDC Postgres', 'users', 'Delta: users_cdc', 'ok'],
  ['log-analytics', 'Log Analytics', 'app-logs', 'Elasticsearch', 'critical'],
] as const;

export const overview: StreamingOverviewResponse = {
  generatedAt: '2026-01-01T12:00:15.000Z',
  totals: {
    pipelines: 5,
    activePipelines: 4,
    throughput: 365_000,
    avgProcessingDelayMs: 3200,
    totalLagMessages: 1200,
    unknownLagPipelines: 0,
    executors: 45,
    localPipelines: 0,
    localThreads: [],
    clusters: 3,
    deltaTables: 4,
    recordsPerDay: 31_000_000_000,
    bytesPerDay: 2_500_000_000_000,
    monthlyCost: 4500,
    currency: 'USD',
  },
  byHealth: { ok: 3, warning: 1, critical: 1, stale: 0, unknown: 0 },
  pipelines: names.map(([name, title, source, sink, health], i) => ({
    entityRef: `component:default/${name}`,
    title,
    owner: 'group:default/team-growth',
    health,
    source: `Kafka: ${source}`,
    sink,
    inputRowsPerSecond: (i + 1) * 10_000,
    processingDelayMs: 1000 * (i + 1),
    lagMessages: i * 100,
    lagSeconds: i,
    executors: 4 + i,
    executorsObservedBy: 'kubernetes',
    localThreads: null,
    running: true,
    monthlyCost: 500 + i * 100,
  })),
  page: { offset: 0, limit: 500, total: 5 },
  errors: [],
};
