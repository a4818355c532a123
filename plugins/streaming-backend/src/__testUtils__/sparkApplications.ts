/**
 * A SparkApplication as the platform applies it, with the status the Spark
 * Operator writes for it (`RUNNING` unless told otherwise) in `status`.
 */
export function sparkApplication(options: {
  name: string;
  namespace: string;
  state?: string;
  errorMessage?: string;
}): { status: Record<string, unknown>; [key: string]: unknown } {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: {
      name: options.name,
      namespace: options.namespace,
    },
    spec: {
      type: 'Python',
      mode: 'cluster',
      image: 'registry.example.com/spark-py:4.0.0',
      mainApplicationFile: 'local:///opt/app/job.py',
      sparkVersion: '4.0.0',
      restartPolicy: {
        type: 'Always',
        onFailureRetryInterval: 10,
        onSubmissionFailureRetryInterval: 20,
      },
      driver: { cores: 1, memory: '2g', serviceAccount: 'spark' },
      executor: { cores: 2, memory: '4g', instances: 3 },
      dynamicAllocation: { enabled: true, minExecutors: 2, maxExecutors: 3 },
    },
    status: {
      applicationState: {
        state: options.state ?? 'RUNNING',
        ...(options.errorMessage ? { errorMessage: options.errorMessage } : {}),
      },
      driverInfo: {
        podName: `${options.name}-driver`,
        webUIAddress: '10.0.0.12:4040',
        webUIPort: 4040,
        webUIServiceName: `${options.name}-ui-svc`,
      },
      executorState: {
        [`${options.name}-exec-1`]: 'RUNNING',
        [`${options.name}-exec-2`]: 'RUNNING',
        [`${options.name}-exec-3`]: 'PENDING',
      },
      executionAttempts: 1,
      submissionAttempts: 1,
      lastSubmissionAttemptTime: new Date(Date.now() - 2 * 3_600_000)
        .toISOString()
        .replace(/\.\d+Z$/, 'Z'),
      sparkApplicationId: 'spark-4f1d2c3b5a6e',
      submissionID: 'a5c1e1f2-7b3d-4c9e-8a1f-2d3c4b5a6f70',
      terminationTime: null,
    },
  };
}
