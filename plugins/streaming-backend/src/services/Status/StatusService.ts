import {
  MicroBatch,
  PipelineStatusResponse,
} from '@internal/plugin-streaming-common';
import { StreamingConfig } from '../../config/StreamingConfig';
import { evaluateHealth } from '../Alerts/evaluateHealth';
import { LagFigures, LagService } from '../Lag/LagService';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { batchEndedAt } from '../ProgressStore/batchEndedAt';
import {
  SparkApplicationInfo,
  SparkApplicationTarget,
  StatusSource,
} from '@internal/plugin-streaming-node';

function targetOf(pipeline: PipelineEntity): SparkApplicationTarget {
  return {
    ...(pipeline.sparkApplication ?? { name: pipeline.summary.name }),
    entityRef: pipeline.entityRef,
  };
}

/** Everything known about a pipeline's state, for the routes, the overview and the alerts. */
export interface PipelineState {
  status: PipelineStatusResponse;
  lag: LagFigures;
  latestBatch: MicroBatch | null;
  application?: SparkApplicationInfo;
}

/** Status of pipelines: Kubernetes when configured, else the age of the newest batch. */
export class StatusService {
  constructor(
    private readonly config: StreamingConfig,
    private readonly source: StatusSource,
    private readonly lag: LagService,
  ) {}

  /** Forgets the cached application of `pipeline` (after an operation changed it). */
  forget(pipeline: PipelineEntity): void {
    this.source.forget?.(targetOf(pipeline));
  }

  async getState(
    pipeline: PipelineEntity,
    latestBatch: MicroBatch | null,
  ): Promise<PipelineState> {
    const now = Date.now();
    const [lag, kube] = await Promise.all([
      this.lag.getFigures(pipeline, latestBatch),
      this.source.enabled
        ? this.source.getApplication(targetOf(pipeline))
        : Promise.resolve({ application: undefined, errors: [] }),
    ]);
    const application = kube.application;
    const lastBatchAgeSeconds = latestBatch
      ? Math.max(0, (now - batchEndedAt(latestBatch)) / 1000)
      : undefined;
    const { staleAfterMs } = this.config.status;
    const verdict = evaluateHealth({
      thresholds: pipeline.summary.thresholds,
      lagMessages: lag.known ? lag.totalMessages : null,
      lagSeconds: lag.maxLagSeconds,
      lastBatchAgeSeconds,
      staleAfterMs,
      applicationState: application?.state,
      applicationError: application?.lastError,
    });
    let running: boolean;
    let runningSource: PipelineStatusResponse['runningSource'];
    if (application) {
      running = application.state === 'RUNNING';
      runningSource = 'kubernetes';
    } else if (lastBatchAgeSeconds !== undefined) {
      running = lastBatchAgeSeconds * 1000 <= staleAfterMs;
      runningSource = 'progress';
    } else {
      running = false;
      runningSource = 'none';
    }
    const max =
      application?.executors.max ??
      pipeline.summary.resources.executor.maxInstances;
    const scalingHint =
      application &&
      max !== undefined &&
      application.executors.running >= max &&
      verdict.runbookSection === 'lag'
        ? `Lag is above the alert level with all ${max} executors running: raise resources.executor.max_instances or the executor size.`
        : undefined;
    const {
      resources: _resources,
      createdAt: _createdAt,
      image: _image,
      ...shown
    } = application ?? {};
    return {
      lag,
      latestBatch,
      application,
      status: {
        entityRef: pipeline.entityRef,
        health: verdict.health,
        reasons: verdict.reasons,
        runbookSection: verdict.runbookSection,
        running,
        runningSource,
        lastBatchAt: latestBatch?.timestamp,
        lastBatchAgeSeconds,
        application: application
          ? (shown as PipelineStatusResponse['application'])
          : undefined,
        scalingHint,
        errors: [...kube.errors, ...lag.errors],
      },
    };
  }
}
