import {
  PipelineSummary,
  SparkApplicationState,
} from '@internal/plugin-streaming-common';
import { z } from 'zod';
import {
  redactCredentials,
  SparkApplicationInfo,
} from '@internal/plugin-streaming-node';

const states: SparkApplicationState[] = [
  'NEW',
  'SUBMITTED',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'SUBMISSION_FAILED',
  'PENDING_RERUN',
  'INVALIDATING',
  'SUCCEEDING',
  'FAILING',
  'UNKNOWN',
];

const podSpec = z
  .object({
    cores: z.number().optional(),
    memory: z.string().optional(),
    instances: z.number().optional(),
  })
  .loose();

/** The parts of a `sparkoperator.k8s.io/v1beta2` `SparkApplication` used here (CRD field names). */
export const sparkApplicationSchema = z.object({
  metadata: z.object({
    name: z.string(),
    namespace: z.string().optional(),
    creationTimestamp: z.string().optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z
    .object({
      suspend: z.boolean().optional(),
      image: z.string().optional(),
      driver: podSpec.optional(),
      executor: podSpec.optional(),
      dynamicAllocation: z
        .object({
          enabled: z.boolean().optional(),
          minExecutors: z.number().optional(),
          maxExecutors: z.number().optional(),
        })
        .optional(),
    })
    .loose()
    .optional(),
  status: z
    .object({
      applicationState: z
        .object({ state: z.string(), errorMessage: z.string().optional() })
        .optional(),
      driverInfo: z
        .object({
          webUIAddress: z.string().optional(),
          webUIIngressAddress: z.string().optional(),
          webUIPort: z.number().optional(),
        })
        .loose()
        .optional(),
      executorState: z.record(z.string(), z.string()).optional(),
      executionAttempts: z.number().optional(),
      submissionAttempts: z.number().optional(),
      lastSubmissionAttemptTime: z.string().nullish(),
      terminationTime: z.string().nullish(),
    })
    .loose()
    .optional(),
});

/** Spark memory strings (`512m`, `4g`, `1t`, also `4Gi`) in GB. */
export function sparkMemoryGb(value: string | undefined): number | undefined {
  const match = value?.trim().match(/^(\d+(?:\.\d+)?)\s*([kmgt])?i?b?$/i);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = (match[2] ?? 'b').toLowerCase();
  const perGb: Record<string, number> = {
    b: 1 / 1024 ** 3,
    k: 1 / 1024 ** 2,
    m: 1 / 1024,
    g: 1,
    t: 1024,
  };
  return amount * perGb[unit];
}

function withScheme(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const url = /^https?:\/\//.test(address) ? address : `http://${address}`;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
      ? parsed.toString()
      : undefined;
  } catch {
    return undefined;
  }
}

/** Turns a SparkApplication object into what the API shows. */
export function toSparkApplicationInfo(
  cluster: string,
  object: z.infer<typeof sparkApplicationSchema>,
): SparkApplicationInfo {
  const status = object.status ?? {};
  const spec = object.spec ?? {};
  const rawState = status.applicationState?.state ?? 'UNKNOWN';
  const state = (states as string[]).includes(rawState)
    ? (rawState as SparkApplicationState)
    : 'UNKNOWN';
  const executorStates = Object.values(status.executorState ?? {});
  const instances = spec.executor?.instances;
  const max = spec.dynamicAllocation?.enabled
    ? spec.dynamicAllocation.maxExecutors ?? instances
    : instances;
  let resources: PipelineSummary['resources'] | undefined;
  const driverMemory = sparkMemoryGb(spec.driver?.memory);
  const executorMemory = sparkMemoryGb(spec.executor?.memory);
  if (
    spec.driver &&
    spec.executor &&
    driverMemory !== undefined &&
    executorMemory !== undefined
  ) {
    resources = {
      driver: { cores: spec.driver.cores ?? 1, memoryGb: driverMemory },
      executor: {
        cores: spec.executor.cores ?? 1,
        memoryGb: executorMemory,
        instances: instances ?? 1,
        minInstances: spec.dynamicAllocation?.minExecutors,
        maxInstances: spec.dynamicAllocation?.maxExecutors,
      },
    };
  }
  return {
    cluster,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    state,
    suspended: spec.suspend === true,
    submissionAttempts: status.submissionAttempts,
    executionAttempts: status.executionAttempts,
    executors: {
      running: executorStates.filter(s => s === 'RUNNING').length,
      total: executorStates.length,
      max,
    },
    driverUiUrl: withScheme(
      status.driverInfo?.webUIIngressAddress ?? status.driverInfo?.webUIAddress,
    ),
    // The driver's error can carry a connection string or a token; it goes to
    // /status, notifications and alert reasons, so it is masked here, once.
    lastError: status.applicationState?.errorMessage
      ? redactCredentials(status.applicationState.errorMessage)
      : undefined,
    lastSubmittedAt: status.lastSubmissionAttemptTime ?? undefined,
    resources,
    createdAt: object.metadata.creationTimestamp,
    image: spec.image,
  };
}
