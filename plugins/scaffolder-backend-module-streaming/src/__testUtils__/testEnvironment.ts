import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';

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
