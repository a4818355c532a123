import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  TestKubernetes,
  TestRbacRule,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { ITopicConfig, Kafka, logLevel } from 'kafkajs';

/** The local broker that `scripts/kafka.sh start` runs. */
export const KAFKA_BROKERS = (
  process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'
).split(',');

/** Creates topics on the local broker and waits for their leaders. */
export async function createTopics(topics: ITopicConfig[]) {
  const admin = new Kafka({
    clientId: 'scaffolder-test',
    brokers: KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

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
 * Root config with the clusters of the test API server (as
 * {@link namespacesClusterConfig} returns them) and the local Kafka cluster,
 * plus whatever `streaming` settings a test adds.
 */
export function clustersConfig(
  clusters: ReturnType<TestKubernetes['appConfig']>,
  streaming: JsonObject = {},
) {
  return mockServices.rootConfig({
    data: {
      kubernetes: clusters.kubernetes,
      streaming: {
        kubernetes: clusters.streaming.kubernetes,
        kafka: { clusters: [{ name: 'local', brokers: KAFKA_BROKERS }] },
        ...streaming,
      },
    },
  });
}

/** The SparkApplication `name` in `namespace` of the test API server, if any. */
export async function readSparkApplication(
  kubernetes: TestKubernetes,
  namespace: string,
  name: string,
): Promise<any> {
  const response = await kubernetes.request(
    'GET',
    `/apis/sparkoperator.k8s.io/v1beta2/namespaces/${namespace}/sparkapplications/${name}`,
  );
  return response.status === 200 ? response.body : undefined;
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

/**
 * Creates the namespaces on the test API server and returns the app-config
 * of one cluster `name` of it: a service account `backstage` in the first
 * namespace (the cluster's default) allowed `rules` in each of them.
 */
export async function namespacesClusterConfig(
  kubernetes: TestKubernetes,
  name: string,
  namespaces: string[],
  rules: TestRbacRule[] = SPARK_APPLICATION_APPLY_RULES,
) {
  await kubernetes.createNamespaces(...namespaces);
  const token = await kubernetes.serviceAccountToken(
    namespaces[0],
    'backstage',
    Object.fromEntries(namespaces.map(namespace => [namespace, rules])),
  );
  return kubernetes.appConfig([
    { name, serviceAccountToken: token, defaultNamespace: namespaces[0] },
  ]);
}
