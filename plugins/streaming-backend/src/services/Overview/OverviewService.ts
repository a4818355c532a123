import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  PipelineHealth,
  PipelineOverviewRow,
  SourceError,
  StreamingOverviewResponse,
} from '@internal/plugin-streaming-common';
import { StreamingConfig } from '../../config/StreamingConfig';
import { CostService } from '../Cost/CostService';
import { PipelineCatalog, PipelineEntity } from '../Pipelines/PipelineCatalog';
import { ProgressStore } from '../ProgressStore/ProgressStore';
import { PipelineState, StatusService } from '../Status/StatusService';

const DAY_MS = 86_400_000;

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

/** The operations dashboard over every pipeline the caller may read. */
export class OverviewService {
  constructor(
    private readonly config: StreamingConfig,
    private readonly catalog: PipelineCatalog,
    private readonly store: ProgressStore,
    private readonly status: StatusService,
    private readonly cost: CostService,
  ) {}

  /** States of pipelines, reading the newest batches in one query. */
  async states(pipelines: PipelineEntity[]): Promise<PipelineState[]> {
    const latest = await this.store.latestBatches(
      pipelines.map(p => p.summary.queryName),
    );
    return Promise.all(
      pipelines.map(p =>
        this.status.getState(p, latest.get(p.summary.queryName) ?? null),
      ),
    );
  }

  async getOverview(
    credentials: BackstageCredentials,
    mayReadCost: (entityRefs: string[]) => Promise<boolean[]>,
  ): Promise<StreamingOverviewResponse> {
    const now = Date.now();
    const { pipelines, invalid } = await this.catalog.listPipelines(
      credentials,
    );
    const [states, dayTotals, costAllowed] = await Promise.all([
      this.states(pipelines),
      this.store.totals(
        pipelines.map(p => p.summary.queryName),
        new Date(now - DAY_MS),
      ),
      mayReadCost(pipelines.map(p => p.entityRef)),
    ]);
    const errors: SourceError[] = invalid.map(i => ({
      source: `catalog:${i.entityRef}`,
      message: i.message,
    }));
    const seen = new Set<string>();
    const addError = (e: SourceError) => {
      const key = `${e.source}\u0000${e.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        errors.push(e);
      }
    };
    const byHealth: Record<PipelineHealth, number> = {
      ok: 0,
      warning: 0,
      critical: 0,
      stale: 0,
      unknown: 0,
    };
    const clusters = new Set<string>();
    const deltaTables = new Set<string>();
    let throughput = 0;
    let delaySum = 0;
    let delayCount = 0;
    let totalLag = 0;
    let executors = 0;
    let recordsPerDay = 0;
    let monthlyCost = 0;
    const rows: PipelineOverviewRow[] = await Promise.all(
      pipelines.map(async (pipeline, i) => {
        const state = states[i];
        const { summary, entity } = pipeline;
        const batch = state.latestBatch;
        const active = state.status.running;
        byHealth[state.status.health] += 1;
        state.status.errors.forEach(addError);
        const app = state.application;
        clusters.add(
          app
            ? `kubernetes:${app.cluster}`
            : `kafka:${pipeline.kafkaCluster ?? ''}`,
        );
        for (const end of [summary.source, summary.sink]) {
          if (end.type === 'delta' && end.path) deltaTables.add(end.path);
        }
        const rate = active && batch ? batch.inputRowsPerSecond : null;
        const delay = batch?.durationMs.triggerExecution ?? null;
        if (rate !== null) throughput += rate;
        if (active && delay !== null) {
          delaySum += delay;
          delayCount += 1;
        }
        totalLag += state.lag.totalMessages;
        let executorCount = 0;
        if (app) {
          executorCount = app.executors.running;
        } else if (active) {
          executorCount = summary.resources.executor.instances;
        }
        executors += executorCount;
        recordsPerDay += dayTotals.get(summary.queryName)?.inputRows ?? 0;
        let cost: number | null = null;
        if (costAllowed[i]) {
          cost = await this.cost.monthly(pipeline, app);
          monthlyCost += cost;
        }
        const owner = entity.spec?.owner;
        const system = entity.spec?.system;
        return {
          entityRef: pipeline.entityRef,
          title: entity.metadata.title ?? entity.metadata.name,
          owner: typeof owner === 'string' ? owner : undefined,
          system: typeof system === 'string' ? system : undefined,
          health: state.status.health,
          source: describeEndpoint(summary.source),
          sink: describeEndpoint(summary.sink),
          inputRowsPerSecond: rate,
          processingDelayMs: delay,
          lagMessages: state.lag.known ? state.lag.totalMessages : null,
          lagSeconds: state.lag.maxLagSeconds,
          executors: app || active ? executorCount : null,
          monthlyCost: cost,
          lastBatchAt: batch?.timestamp,
        };
      }),
    );
    rows.sort((a, b) =>
      parseEntityRef(a.entityRef).name.localeCompare(
        parseEntityRef(b.entityRef).name,
      ),
    );
    const mayReadAnyCost =
      costAllowed.length === 0 || costAllowed.every(Boolean);
    return {
      generatedAt: new Date(now).toISOString(),
      totals: {
        pipelines: pipelines.length,
        activePipelines: states.filter(s => s.status.running).length,
        throughput: Math.round(throughput * 100) / 100,
        avgProcessingDelayMs: delayCount
          ? Math.round(delaySum / delayCount)
          : null,
        totalLagMessages: totalLag,
        executors,
        clusters: clusters.size,
        deltaTables: deltaTables.size,
        recordsPerDay,
        bytesPerDay: null,
        monthlyCost: mayReadAnyCost
          ? Math.round(monthlyCost * 100) / 100
          : null,
        currency: this.config.cost.currency,
      },
      byHealth,
      pipelines: rows,
      errors,
    };
  }
}
