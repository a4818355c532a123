/**
 * Types of the `streaming` backend's HTTP API, shared by the backend (which
 * serves them) and the frontend (which shows them). Times are ISO-8601 strings;
 * Kafka offsets are decimal strings (they exceed 2^53 in principle).
 */

/**
 * A pipeline's health against its spec's thresholds.
 *
 * - `ok`: lag under the warning level and batches arriving.
 * - `warning`: lag above half a threshold.
 * - `critical`: lag above a threshold, or the application failed.
 * - `stale`: no micro-batch for longer than the stale interval.
 * - `unknown`: no data at all yet.
 *
 * @public
 */
export type PipelineHealth =
  | 'ok'
  | 'warning'
  | 'critical'
  | 'stale'
  | 'unknown';

/**
 * Every {@link PipelineHealth}.
 *
 * @public
 */
export const PIPELINE_HEALTHS = [
  'ok',
  'warning',
  'critical',
  'stale',
  'unknown',
] as const satisfies readonly PipelineHealth[];

/**
 * A data source that failed while others answered ("partial beats broken").
 *
 * @public
 */
export interface SourceError {
  /** Which source: `kafka:<cluster>`, `kubernetes:<cluster>/<namespace>`, `opencost`, ... */
  source: string;
  message: string;
}

/**
 * What the facts of a pipeline summary, written by the catalog processor into
 * the pipeline entity (annotation `pipeline-summary`), say about it.
 *
 * @public
 */
export interface PipelineSummary {
  /** `pipeline.name` of the spec. */
  name: string;
  /** The Spark query name, also the key of its progress events. */
  queryName: string;
  source: {
    type: 'kafka' | 'debezium' | 'delta';
    /** Kafka cluster name (app-config), for Kafka and Debezium sources. */
    cluster?: string;
    /** Physical topic names read. */
    topics: string[];
    /** Delta path, for Delta sources. */
    path?: string;
  };
  sink: {
    type: 'delta' | 'elasticsearch' | 'kafka';
    mode?: string;
    path?: string;
    topic?: string;
    index?: string;
    cluster?: string;
  };
  checkpoint: string;
  thresholds: {
    /** `monitoring.alert_on_lag`, seconds. */
    lagSeconds?: number;
    /** `monitoring.alert_on_lag_messages` (default 10,000). */
    lagMessages: number;
    channel?: string;
  };
  resources: {
    driver: { cores: number; memoryGb: number };
    executor: {
      cores: number;
      memoryGb: number;
      instances: number;
      minInstances?: number;
      maxInstances?: number;
    };
  };
  trigger?: string;
}

/**
 * One micro-batch, from a `StreamingQueryProgress` event.
 *
 * @public
 */
export interface MicroBatch {
  batchId: number;
  /** `timestamp` of the progress event: when the trigger fired. */
  timestamp: string;
  runId?: string;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  /** `durationMs.*` (triggerExecution, addBatch, getBatch, latestOffset, queryPlanning, walCommit, ...). */
  durationMs: Record<string, number>;
  /** `eventTime.watermark`, when the query has one. */
  watermark?: string;
  stateOperators: Array<{
    operatorName?: string;
    numRowsTotal: number;
    numRowsUpdated: number;
    memoryUsedBytes: number;
    numRowsDroppedByWatermark?: number;
  }>;
  sources: Array<{
    description: string;
    /** topic -> partition -> offset, as Spark reports it. */
    startOffset?: Record<string, Record<string, number>>;
    endOffset?: Record<string, Record<string, number>>;
    latestOffset?: Record<string, Record<string, number>>;
    numInputRows: number;
    inputRowsPerSecond?: number;
    processedRowsPerSecond?: number;
    metrics?: Record<string, string>;
  }>;
  sinkNumOutputRows?: number;
  /** Bytes of the batch's Kafka records (keys and values), from the generated job's observation. */
  inputBytes?: number;
  /** Records of the batch that could not be parsed, from the generated job's observation. */
  badRecords?: number;
  /** What the Spark driver of the batch runs, as the generated job observed it. */
  runtime?: ObservedRuntime;
}

/**
 * What a Spark driver really runs, reported with each progress event by the
 * generated job (not the spec's requested resources).
 *
 * @public
 */
export interface ObservedRuntime {
  /** `spark.master`: `local[2]` is local mode with two threads. */
  master: string;
  /** `sparkContext.defaultParallelism` (the threads in local mode). */
  defaultParallelism: number;
  /** Executors registered with the driver on a cluster; null in local mode. */
  executors: number | null;
}

/**
 * `GET /pipelines/:namespace/:name/metrics`
 *
 * @public
 */
export interface PipelineMetricsResponse {
  entityRef: string;
  /** Oldest first, within the requested range. */
  batches: MicroBatch[];
  summary: {
    /** Mean over the range, rows per second. */
    inputRowsPerSecond: number;
    processedRowsPerSecond: number;
    /** Mean `durationMs.triggerExecution`. */
    avgBatchDurationMs: number;
    p95BatchDurationMs: number;
    totalInputRows: number;
    watermark?: string;
    lastBatchAt?: string;
    lastBatchAgeSeconds?: number;
  };
  /** What was left out of the answer (offsets of old batches beyond the cap). */
  errors?: SourceError[];
}

/**
 * Lag of one partition.
 *
 * @public
 */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** High watermark of the partition. */
  latestOffset: string;
  /** Log start offset of the partition. */
  earliestOffset?: string;
  /** What the pipeline has processed (Spark end offset or committed group offset). */
  consumedOffset?: string;
  /** null when it cannot be computed (see `issue`). */
  lagMessages: number | null;
  lagSeconds: number | null;
  issue?:
    | 'no-progress'
    | 'no-commit'
    | 'below-log-start'
    | 'leaderless'
    | 'topic-recreated'
    | 'new-partition';
}

/**
 * `GET /pipelines/:namespace/:name/lag`
 *
 * @public
 */
export interface PipelineLagResponse {
  entityRef: string;
  cluster: string;
  /** Where the consumed offsets come from. */
  method: 'spark-progress' | 'consumer-group';
  consumerGroups?: string[];
  /**
   * Summed over the partitions whose lag is known; null when none is (no
   * micro-batch yet, topic missing, ...): no data is not zero.
   */
  totalMessages: number | null;
  /** Why `totalMessages` is null, when it is. */
  unknownReason?: string;
  /** Largest per-partition lag in seconds, null when unknown. */
  maxLagSeconds: number | null;
  partitions: PartitionLag[];
  /** Oldest first. */
  history: Array<{
    time: string;
    lagMessages: number;
    lagSeconds: number | null;
  }>;
  thresholds: { lagSeconds?: number; lagMessages: number };
  /** When the broker was last read successfully. */
  observedAt?: string;
  ageSeconds?: number;
  errors: SourceError[];
}

/**
 * State of a `SparkApplication` (`status.applicationState.state`).
 *
 * @public
 */
export type SparkApplicationState =
  | 'NEW'
  | 'SUBMITTED'
  | 'RUNNING'
  | 'COMPLETED'
  | 'FAILED'
  | 'SUBMISSION_FAILED'
  | 'PENDING_RERUN'
  | 'INVALIDATING'
  | 'SUCCEEDING'
  | 'FAILING'
  | 'UNKNOWN';

/**
 * `GET /pipelines/:namespace/:name/status`
 *
 * @public
 */
export interface PipelineStatusResponse {
  entityRef: string;
  health: PipelineHealth;
  /** Human-readable reasons behind `health`, worst first. */
  reasons: string[];
  /** Which runbook section fits the current alert (`lag`, `failed`, `stale`), if any. */
  runbookSection?: string;
  /** Whether the pipeline is running: from Kubernetes, else from the age of the newest batch. */
  running: boolean;
  runningSource: 'kubernetes' | 'progress' | 'none';
  lastBatchAt?: string;
  lastBatchAgeSeconds?: number;
  application?: {
    cluster: string;
    namespace: string;
    name: string;
    state: SparkApplicationState;
    submissionAttempts?: number;
    executionAttempts?: number;
    executors: { running: number; total: number; max?: number };
    driverUiUrl?: string;
    lastError?: string;
    lastSubmittedAt?: string;
  };
  /** A hint when lag rises while executors are at their maximum. */
  scalingHint?: string;
  errors: SourceError[];
}

/**
 * `GET /pipelines/:namespace/:name/cost`
 *
 * @public
 */
export interface PipelineCostResponse {
  entityRef: string;
  currency: string;
  source: 'rates' | 'opencost';
  /**
   * Whether the pipeline runs now (Kubernetes when configured, else a recent
   * micro-batch). When false, the figures are an estimate of what it would
   * cost while running, not what it costs.
   */
  running: boolean;
  perHour: number;
  perDay: number;
  perMonth: number;
  /** Cost of one million input records at the current rate, null without throughput. */
  perMillionRecords: number | null;
  breakdown: { driverPerHour: number; executorsPerHour: number };
  resources: PipelineSummary['resources'];
  /** Hours the application has been up (from Kubernetes or progress history). */
  uptimeHours: number | null;
  /** Cost so far since the application started, null when uptime is unknown. */
  costSinceStart: number | null;
  /** Oldest first, one point a day. */
  history: Array<{ date: string; cost: number }>;
  errors: SourceError[];
}

/**
 * One row of the overview's table.
 *
 * @public
 */
export interface PipelineOverviewRow {
  entityRef: string;
  title: string;
  owner?: string;
  system?: string;
  health: PipelineHealth;
  source: string;
  sink: string;
  inputRowsPerSecond: number | null;
  processingDelayMs: number | null;
  /** null when unknown (see `lagUnknownReason`), never 0 for no data. */
  lagMessages: number | null;
  lagSeconds: number | null;
  /** Why `lagMessages` is null, when it is. */
  lagUnknownReason?: string;
  /**
   * Executors observed: from Kubernetes when it answers for the pipeline,
   * else as the running job reports them (0 in Spark's local mode); null when
   * nothing observed them.
   */
  executors: number | null;
  /** Where `executors` was observed: Kubernetes or the job's own report. */
  executorsObservedBy: 'kubernetes' | 'job' | null;
  /** The threads of a job running in Spark's local mode (its `local[N]`). */
  localThreads: number | null;
  /**
   * Whether the pipeline runs now (Kubernetes when configured, else a recent
   * micro-batch). An idle pipeline's `monthlyCost` is an estimate of what it
   * would cost while running and is not counted in the totals.
   */
  running: boolean;
  /** null when the caller may not read cost. */
  monthlyCost: number | null;
  lastBatchAt?: string;
}

/**
 * Columns `GET /overview` sorts its pipelines by.
 *
 * @public
 */
export const OVERVIEW_SORT_KEYS = [
  'name',
  'title',
  'health',
  'throughput',
  'latency',
  'lag',
  'executors',
  'cost',
  'owner',
] as const;

/**
 * A column `GET /overview` sorts its pipelines by.
 *
 * @public
 */
export type OverviewSortKey = (typeof OVERVIEW_SORT_KEYS)[number];

/**
 * The page, order and filters of `GET /overview`. Totals and `byHealth`
 * always cover every pipeline the caller may read; the filters choose the
 * rows of `pipelines` and `page.total`.
 *
 * @public
 */
export interface StreamingOverviewQuery {
  /** Rows skipped. Default: 0. */
  offset?: number;
  /** Rows answered. Default and maximum: `streaming.overview.maxPageSize`. */
  limit?: number;
  /** Default: `name` (the entity name). Unknown figures sort lowest. */
  sort?: OverviewSortKey;
  /** Default: `asc`. */
  order?: 'asc' | 'desc';
  /** Only pipelines with one of these healths. */
  health?: PipelineHealth[];
  /** Only pipelines of this owner (entity reference, as in the rows). */
  owner?: string;
  /** Only pipelines of this system (as in the rows). */
  system?: string;
  /**
   * Only pipelines where the text occurs (case-insensitive) in the title,
   * entity reference, health, source, sink, owner or system.
   */
  q?: string;
}

/**
 * `GET /overview`: the operations dashboard.
 *
 * @public
 */
export interface StreamingOverviewResponse {
  generatedAt: string;
  totals: {
    pipelines: number;
    activePipelines: number;
    /** Input rows per second, summed. */
    throughput: number;
    avgProcessingDelayMs: number | null;
    /** Summed over the pipelines whose lag is known; null when none is. */
    totalLagMessages: number | null;
    /** Pipelines whose lag is unknown (not counted in `totalLagMessages`). */
    unknownLagPipelines: number;
    executors: number;
    /** Running pipelines whose job runs in Spark's local mode. */
    localPipelines: number;
    /** The distinct thread counts of those local jobs, ascending. */
    localThreads: number[];
    clusters: number;
    deltaTables: number;
    recordsPerDay: number;
    bytesPerDay: number | null;
    /**
     * Summed over the running pipelines only; null when the caller may not
     * read cost.
     */
    monthlyCost: number | null;
    currency: string;
  };
  byHealth: Record<PipelineHealth, number>;
  /** The rows of the requested page, filtered and sorted. */
  pipelines: PipelineOverviewRow[];
  /** `total`: the pipelines that match the filters, on all pages. */
  page: { offset: number; limit: number; total: number };
  errors: SourceError[];
}

/**
 * `GET /cost/rates`: the configured prices the backend's cost figures use,
 * for estimates before a pipeline exists (the Create form).
 *
 * @public
 */
export interface CostRatesResponse {
  currency: string;
  /** Per Kubernetes cluster name, and `default`. */
  rates: Record<string, { coreHour: number; gbHour: number }>;
}

/**
 * `GET /topics/:namespace/:name`
 *
 * @public
 */
export interface TopicDetailsResponse {
  entityRef: string;
  cluster: string;
  topic: string;
  partitions: Array<{
    partition: number;
    leader: number | null;
    replicas: number[];
    isr: number[];
    earliestOffset: string;
    latestOffset: string;
  }>;
  /** Messages per second over the recent observations, null before two observations. */
  messagesPerSecond: number | null;
  totalMessages: number;
  observedAt?: string;
  ageSeconds?: number;
  errors: SourceError[];
}

/**
 * `GET /tables/:namespace/:name`: Delta log facts, when the backend can read
 * the table's location.
 *
 * @public
 */
export interface DeltaTableDetailsResponse {
  entityRef: string;
  location: string;
  readable: boolean;
  version?: number;
  lastOperation?: {
    operation: string;
    timestamp: string;
    parameters?: Record<string, string>;
  };
  numFiles?: number;
  sizeBytes?: number;
  schema?: Array<{ name: string; type: string; nullable: boolean }>;
  errors: SourceError[];
}
