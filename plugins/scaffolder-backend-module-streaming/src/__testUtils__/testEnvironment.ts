import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  TestKubernetes,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';

/** The local broker that `scripts/kafka.sh start` runs. */
export const KAFKA_BROKERS = (
  process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'
).split(',');

/** Root config with the local Kafka cluster, plus whatever a test adds. */
export function streamingConfig(streaming: JsonObject = {}) {
  return mockServices.rootConfig({
    data: {
      streaming: {
        kafka: { clusters: [{ name: 'local', brokers: KAFKA_BROKERS }] },
        ...streaming,
      },
    },
  });
}

/**
 * The RBAC rules `streaming:sparkApplication:apply` needs in a namespace (the
 * SparkApplication, its ScheduledSparkApplication and PrometheusRule), as
 * the README and scripts/lib/kubernetes/backstage-rbac.yaml state them.
 */
export const SPARK_APPLICATION_APPLY_RULES = [
  {
    apiGroups: ['sparkoperator.k8s.io'],
    resources: ['sparkapplications', 'scheduledsparkapplications'],
    verbs: ['get', 'create', 'patch'],
  },
  {
    apiGroups: ['monitoring.coreos.com'],
    resources: ['prometheusrules'],
    verbs: ['get', 'create', 'patch'],
  },
];

/**
 * App-config of one cluster `test` of the test API server for the templates:
 * a service account of its own allowed exactly
 * {@link SPARK_APPLICATION_APPLY_RULES} in `streaming`, the default namespace,
 * where the generated SparkApplications go.
 */
export async function templatesClusterConfig(kubernetes: TestKubernetes) {
  return kubernetes.appConfig([
    {
      name: 'test',
      serviceAccountToken: await kubernetes.serviceAccountToken(
        'streaming',
        uniqueName('templates'),
        { streaming: SPARK_APPLICATION_APPLY_RULES },
      ),
      defaultNamespace: 'streaming',
    },
  ]);
}
