import {
  MicroBatch,
  PipelineOverviewRow,
} from '@internal/plugin-streaming-common';
import { PipelineState } from '../Status/StatusService';

/**
 * A pipeline's executors as observed: Kubernetes' SparkApplication status
 * when it answers, else what the running job reports of its driver (in
 * Spark's local mode no executors, its threads instead); nothing otherwise,
 * and then no `executorsObservedBy` (the field is absent, never null).
 */
export function observeExecutors(
  app: PipelineState['application'],
  batch: MicroBatch | null,
): Pick<
  PipelineOverviewRow,
  'executors' | 'executorsObservedBy' | 'localThreads'
> {
  if (app) {
    return {
      executors: app.executors.running,
      executorsObservedBy: 'kubernetes',
      localThreads: null,
    };
  }
  const runtime = batch?.runtime;
  if (!runtime) {
    return { executors: null, localThreads: null };
  }
  const local = /^local(\[|$)/.test(runtime.master);
  return {
    executors: local ? 0 : runtime.executors,
    executorsObservedBy: 'job',
    localThreads: local ? runtime.defaultParallelism : null,
  };
}
