import {
  PipelineEnvironmentsResponse,
  PipelineEnvironmentStatus,
} from '@internal/plugin-streaming-common';
import { CostService } from '../Cost/CostService';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { pipelineInEnvironment } from '../Pipelines/pipelineInEnvironment';
import { ProgressStore } from '../ProgressStore/ProgressStore';
import { StatusService } from '../Status/StatusService';

/**
 * Each environment of a pipeline (`pipeline.environments`, in promotion
 * order) as the pipeline's own routes see one pipeline: its health and
 * SparkApplication as `/status` reads them, its lag as `/lag` computes it,
 * its cost per day as `/cost` prices it, each from the environment's summary
 * (its progress key `<pipeline>@<environment>`, topics, thresholds,
 * resources) and its SparkApplication's Kubernetes cluster and namespace.
 */
export class EnvironmentService {
  constructor(
    private readonly store: ProgressStore,
    private readonly status: StatusService,
    private readonly cost: CostService,
  ) {}

  /**
   * @param mayReadCost - whether the caller may read the pipeline's cost
   *   (`streaming.cost.read`); when not, every `costPerDay` is null
   */
  async getEnvironments(
    pipeline: PipelineEntity,
    mayReadCost: boolean,
  ): Promise<PipelineEnvironmentsResponse> {
    const environments = pipeline.summary.environments ?? [];
    const latest = await this.store.latestBatches(
      environments.map(env => env.summary.queryName),
    );
    return {
      entityRef: pipeline.entityRef,
      environments: await Promise.all(
        environments.map(async (environment, index) => {
          const inEnvironment = pipelineInEnvironment(pipeline, environment);
          const { queryName } = environment.summary;
          const latestBatch = latest.get(queryName) ?? null;
          const state = await this.status.getState(inEnvironment, latestBatch);
          const { application } = state;
          const target = inEnvironment.sparkApplication;
          const kubernetesCluster = application?.cluster ?? target?.cluster;
          const entry: PipelineEnvironmentStatus = {
            name: environment.name,
            namespace: environment.namespace,
            ...(kubernetesCluster ? { kubernetesCluster } : {}),
            queryName,
            health: state.status.health,
            state: application?.state ?? null,
            image: application?.image ?? null,
            lag: {
              messages: state.lag.known ? state.lag.totalMessages : null,
              seconds: state.lag.maxLagSeconds,
            },
            costPerDay: mayReadCost
              ? await this.costPerDay(inEnvironment, state)
              : null,
            lastBatchAt: latestBatch?.timestamp ?? null,
            lastBatchAgeSeconds: state.status.lastBatchAgeSeconds ?? null,
            next: environments[index + 1]?.name ?? null,
          };
          return entry;
        }),
      ),
    };
  }

  /** Null when no price is known (no rate for the environment's cluster). */
  private async costPerDay(
    pipeline: PipelineEntity,
    state: Awaited<ReturnType<StatusService['getState']>>,
  ): Promise<PipelineEnvironmentStatus['costPerDay']> {
    const cost = await this.cost.getCost(
      pipeline,
      state.application,
      state.latestBatch,
      state.status.running,
    );
    if (cost.perHour === 0 && cost.errors.length > 0) {
      return null;
    }
    return { amount: cost.perDay, currency: cost.currency };
  }
}
