import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { LRUCache } from 'lru-cache';
import {
  PipelineHealth,
  PipelineOverviewRow,
  SourceError,
  StreamingOverviewQuery,
  StreamingOverviewResponse,
} from '@internal/plugin-streaming-common';
import { StreamingConfig } from '../../config/StreamingConfig';
import { mapInTurns } from '../../lib/mapInTurns';
import { CostService } from '../Cost/CostService';
import { callerKey } from '../Pipelines/CallerCache';
import { PipelineCatalog, PipelineEntity } from '../Pipelines/PipelineCatalog';
import { pipelineInEnvironment } from '../Pipelines/pipelineInEnvironment';
import { ProgressStore } from '../ProgressStore/ProgressStore';
import { PipelineState, StatusService } from '../Status/StatusService';
import { boundErrors } from './boundErrors';
import { observeExecutors } from './observeExecutors';
import { pageOverview } from './pageOverview';

const DAY_MS = 86_400_000;
/** Callers whose last overview is kept, and distinct answers per snapshot. */
const MAX_KEPT_VIEWS = 1000;

function describeEndpoint(end: {
  type: string;
  topics?: string[];
  topic?: string;
  path?: string;
  index?: string;
}): string {
  const target =
    end.topics?.join(', ') || end.topic || end.index || end.path || '';
  return target ? `${end.type}: ${target}` : end.type;
}

/** One pipeline's contribution to the overview. */
export interface OverviewEntry {
  pipeline: PipelineEntity;
  state: PipelineState;
  /** The row, with the monthly cost before the caller's permission is applied. */
  row: PipelineOverviewRow;
  recordsPerDay: number;
  /** null when none of the day's batches reports its bytes. */
  bytesPerDay: number | null;
  executors: number;
  /** The Kubernetes cluster its SparkApplication was observed on. */
  kubernetesCluster?: string;
}

interface Snapshot {
  at: number;
  entries: Map<string, OverviewEntry>;
  /** The environments after the first of pipelines that declare several. */
  laterEnvironments: OverviewEntry[];
  invalid: Map<string, string>;
  /**
   * Lists of entity refs found to be all in the snapshot: a caller's list is
   * the same array while it is cached, so later requests skip a lookup per
   * pipeline.
   */
  covers: WeakSet<string[]>;
}

/**
 * The operations dashboard over every pipeline the caller may read. The
 * figures of all pipelines are computed once per poll interval (with the
 * backend's own credentials, shared with the alerts) and each request keeps
 * the pipelines its caller may read: one catalog query for entity references
 * (reused per caller, see PipelineCatalog) and one batched permission check.
 * A caller's answer is kept until the snapshot or what they may read changes,
 * and callers who may read the same pipelines and costs share one answer
 * object (serialized once by the router).
 */
export class OverviewService {
  private snapshot?: Snapshot;
  private refreshing?: Promise<Snapshot>;
  private readonly views = new LRUCache<
    string,
    {
      visible: string[];
      snapshot: Snapshot;
      overview: Promise<StreamingOverviewResponse>;
    }
  >({ max: MAX_KEPT_VIEWS });
  private shared?: {
    snapshot: Snapshot;
    overviews: Map<string, StreamingOverviewResponse>;
  };

  constructor(
    private readonly config: StreamingConfig,
    private readonly catalog: PipelineCatalog,
    private readonly store: ProgressStore,
    private readonly status: StatusService,
    private readonly cost: CostService,
    private readonly logger: LoggerService,
  ) {}

  /** Recomputes every pipeline's figures; concurrent callers share one run. */
  refresh(): Promise<Snapshot> {
    this.refreshing ??= this.compute().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async compute(): Promise<Snapshot> {
    const now = Date.now();
    const { pipelines, invalid } = await this.catalog.listPipelines();
    // A pipeline with environments is its first environment here (as on
    // its page); its later ones are evaluated beside it, for the metrics.
    const later = pipelines.flatMap(pipeline =>
      (pipeline.summary.environments ?? [])
        .slice(1)
        .map(environment => pipelineInEnvironment(pipeline, environment)),
    );
    // In turns of streaming.overview.pipelinesPerTurn, each turn reading its
    // pipelines' newest batch and day's totals and evaluating them: the
    // backend answers other requests between two turns, where thousands of
    // pipelines read and evaluated at once held its event loop for seconds
    // (SQLite's client reads synchronously). A query also names at most that
    // many pipelines, well within the databases' limits on bound values.
    const since = new Date(now - DAY_MS);
    const evaluateGroup = async (group: PipelineEntity[]) => {
      const queryNames = group.map(p => p.summary.queryName);
      const [latest, dayTotals] = await Promise.all([
        this.store.latestBatches(queryNames),
        this.store.totals(queryNames, since),
      ]);
      return Promise.all(
        group.map(pipeline => this.evaluate(pipeline, latest, dayTotals)),
      );
    };
    const { pipelinesPerTurn } = this.config.overview;
    const first = await mapInTurns(pipelines, pipelinesPerTurn, evaluateGroup);
    const laterEntries = await mapInTurns(
      later,
      pipelinesPerTurn,
      evaluateGroup,
    );
    const entries = new Map<string, OverviewEntry>();
    first.forEach(entry => entries.set(entry.pipeline.entityRef, entry));
    this.snapshot = {
      at: now,
      entries,
      laterEnvironments: laterEntries,
      invalid: new Map(invalid.map(i => [i.entityRef, i.message])),
      covers: new WeakSet(),
    };
    // Answers of the previous snapshot are never given again.
    this.views.clear();
    this.shared = undefined;
    return this.snapshot;
  }

  /** One pipeline's figures (or one environment's of a pipeline). */
  private async evaluate(
    pipeline: PipelineEntity,
    latest: Awaited<ReturnType<ProgressStore['latestBatches']>>,
    dayTotals: Awaited<ReturnType<ProgressStore['totals']>>,
  ): Promise<OverviewEntry> {
    const { summary, entity } = pipeline;
    const state = await this.status.getState(
      pipeline,
      latest.get(summary.queryName) ?? null,
    );
    const batch = state.latestBatch;
    const active = state.status.running;
    const app = state.application;
    // Observed, never assumed: the spec's configured count is no fact.
    const observed = observeExecutors(app, active ? batch : null);
    const executors = observed.executors ?? 0;
    const owner = entity.spec?.owner;
    const system = entity.spec?.system;
    return {
      pipeline,
      state,
      recordsPerDay: dayTotals.get(summary.queryName)?.inputRows ?? 0,
      bytesPerDay: dayTotals.get(summary.queryName)?.inputBytes ?? null,
      executors,
      kubernetesCluster: app?.cluster,
      row: {
        entityRef: pipeline.entityRef,
        title: entity.metadata.title ?? entity.metadata.name,
        owner: typeof owner === 'string' ? owner : undefined,
        system: typeof system === 'string' ? system : undefined,
        health: state.status.health,
        source: describeEndpoint(summary.source),
        sink: describeEndpoint(summary.sink),
        inputRowsPerSecond: active && batch ? batch.inputRowsPerSecond : null,
        processingDelayMs: batch?.durationMs.triggerExecution ?? null,
        lagMessages: state.lag.known ? state.lag.totalMessages : null,
        lagSeconds: state.lag.maxLagSeconds,
        lagUnknownReason: state.lag.known ? undefined : state.lag.unknownReason,
        ...observed,
        running: active,
        monthlyCost: await this.cost.monthly(pipeline, app),
        lastBatchAt: batch?.timestamp,
      },
    };
  }

  /** The snapshot, refreshed in the background once older than a poll interval. */
  private async current(refs: string[]): Promise<Snapshot> {
    const known = (s: Snapshot) => {
      if (s.covers.has(refs)) return true;
      const all = refs.every(ref => s.entries.has(ref) || s.invalid.has(ref));
      if (all) s.covers.add(refs);
      return all;
    };
    if (!this.snapshot || !known(this.snapshot)) {
      return this.refresh();
    }
    if (Date.now() - this.snapshot.at > this.config.lag.pollIntervalMs) {
      this.refresh().catch(error =>
        this.logger.warn('Refreshing the streaming overview failed', {
          error: (error as Error).message,
        }),
      );
    }
    return this.snapshot;
  }

  async getOverview(
    credentials: BackstageCredentials,
    mayReadCost: (entityRefs: string[]) => Promise<boolean[]>,
  ): Promise<StreamingOverviewResponse> {
    const visible = await this.catalog.listPipelineRefs(credentials);
    const snapshot = await this.current(visible);
    const caller = callerKey(credentials);
    if (caller === undefined) {
      return this.view(visible, snapshot, mayReadCost);
    }
    const kept = this.views.get(caller);
    if (kept?.visible === visible && kept.snapshot === snapshot) {
      return kept.overview;
    }
    const view = {
      visible,
      snapshot,
      overview: this.view(visible, snapshot, mayReadCost),
    };
    this.views.set(caller, view);
    view.overview.catch(() => {
      if (this.views.peek(caller) === view) this.views.delete(caller);
    });
    return view.overview;
  }

  /**
   * One page of the caller's overview: filtered and sorted rows, with the
   * totals of every pipeline they may read (see {@link pageOverview}).
   */
  async getOverviewPage(
    credentials: BackstageCredentials,
    mayReadCost: (entityRefs: string[]) => Promise<boolean[]>,
    query: StreamingOverviewQuery & { offset: number; limit: number },
  ): Promise<StreamingOverviewResponse> {
    return pageOverview(
      await this.getOverview(credentials, mayReadCost),
      query,
    );
  }

  /** The overview of the visible pipelines in a snapshot. */
  private async view(
    visible: string[],
    snapshot: Snapshot,
    mayReadCost: (entityRefs: string[]) => Promise<boolean[]>,
  ): Promise<StreamingOverviewResponse> {
    const entries = visible
      .map(ref => snapshot.entries.get(ref))
      .filter((e): e is OverviewEntry => e !== undefined)
      .sort((a, b) =>
        a.pipeline.entity.metadata.name.localeCompare(
          b.pipeline.entity.metadata.name,
        ),
      );
    const costAllowed = await mayReadCost(
      entries.map(e => e.pipeline.entityRef),
    );
    // Callers who may read the same pipelines and costs share one answer.
    const shape = `${visible.join('\n')}\u0000${costAllowed
      .map(allowed => (allowed ? 1 : 0))
      .join('')}`;
    if (this.shared?.snapshot !== snapshot) {
      this.shared = { snapshot, overviews: new Map() };
    }
    let overview = this.shared.overviews.get(shape);
    if (!overview) {
      overview = this.build(snapshot, visible, entries, costAllowed);
      if (this.shared.overviews.size < MAX_KEPT_VIEWS) {
        this.shared.overviews.set(shape, overview);
      }
    }
    return overview;
  }

  private build(
    snapshot: Snapshot,
    visible: string[],
    entries: OverviewEntry[],
    costAllowed: boolean[],
  ): StreamingOverviewResponse {
    const errors: SourceError[] = [];
    const seen = new Set<string>();
    const addError = (e: SourceError) => {
      const key = `${e.source}\u0000${e.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        errors.push(e);
      }
    };
    for (const ref of visible) {
      const message = snapshot.invalid.get(ref);
      if (message) addError({ source: `catalog:${ref}`, message });
    }
    const byHealth: Record<PipelineHealth, number> = {
      ok: 0,
      warning: 0,
      critical: 0,
      stale: 0,
      unknown: 0,
    };
    /** Kubernetes clusters where the pipelines' applications were observed. */
    const clusters = new Set<string>();
    const deltaTables = new Set<string>();
    let throughput = 0;
    let delaySum = 0;
    let delayCount = 0;
    let totalLag: number | null = null;
    let unknownLag = 0;
    let executors = 0;
    let localPipelines = 0;
    const localThreads = new Set<number>();
    let recordsPerDay = 0;
    let bytesPerDay: number | null = null;
    let monthlyCost = 0;
    let activePipelines = 0;
    const rows = entries.map((entry, i) => {
      const { state, row, pipeline } = entry;
      byHealth[row.health] += 1;
      state.status.errors.forEach(addError);
      if (entry.kubernetesCluster !== undefined) {
        clusters.add(entry.kubernetesCluster);
      }
      for (const end of [pipeline.summary.source, pipeline.summary.sink]) {
        if (end.type === 'delta' && end.path) deltaTables.add(end.path);
      }
      if (state.status.running) {
        activePipelines += 1;
        if (row.processingDelayMs !== null) {
          delaySum += row.processingDelayMs;
          delayCount += 1;
        }
      }
      throughput += row.inputRowsPerSecond ?? 0;
      if (state.lag.known) {
        totalLag = (totalLag ?? 0) + state.lag.totalMessages;
      } else {
        unknownLag += 1;
      }
      executors += entry.executors;
      if (row.localThreads !== null) {
        localPipelines += 1;
        localThreads.add(row.localThreads);
      }
      recordsPerDay += entry.recordsPerDay;
      if (entry.bytesPerDay !== null) {
        bytesPerDay = (bytesPerDay ?? 0) + entry.bytesPerDay;
      }
      if (costAllowed[i]) {
        // An idle pipeline's figure is an estimate: shown, not summed.
        if (row.running) monthlyCost += row.monthlyCost ?? 0;
        return row;
      }
      return { ...row, monthlyCost: null };
    });
    const mayReadAllCost = costAllowed.every(Boolean);
    return {
      generatedAt: new Date(snapshot.at).toISOString(),
      totals: {
        pipelines: entries.length,
        activePipelines,
        throughput: Math.round(throughput * 100) / 100,
        avgProcessingDelayMs: delayCount
          ? Math.round(delaySum / delayCount)
          : null,
        totalLagMessages: totalLag,
        unknownLagPipelines: unknownLag,
        executors,
        localPipelines,
        localThreads: [...localThreads].sort((a, b) => a - b),
        clusters: clusters.size,
        deltaTables: deltaTables.size,
        recordsPerDay,
        bytesPerDay,
        monthlyCost: mayReadAllCost
          ? Math.round(monthlyCost * 100) / 100
          : null,
        currency: this.config.cost.currency,
      },
      byHealth,
      pipelines: rows,
      page: { offset: 0, limit: rows.length, total: rows.length },
      errors: boundErrors(errors, this.config.overview.maxErrors),
    };
  }
}
