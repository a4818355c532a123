import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readStreamingConfig } from '../../config/StreamingConfig';
import { schemaProblems } from '../../__testUtils__/schemaProblems';
import {
  sparkApplication,
  sparkApplicationCrdSchema,
  startKubernetesStandIn,
} from '../../__testUtils__/kubernetesStandIn';
import { KubernetesStatusSource } from './KubernetesStatusSource';

describe('KubernetesStatusSource against a stand-in of the Kubernetes API', () => {
  const running = sparkApplication({
    name: 'user-events-to-delta',
    namespace: 'streaming',
    state: 'RUNNING',
  });
  const failed = sparkApplication({
    name: 'orders-to-delta',
    namespace: 'streaming',
    state: 'FAILED',
    errorMessage: 'driver container failed with ExitCode: 1, Reason: Error',
  });
  let standIn: Awaited<ReturnType<typeof startKubernetesStandIn>>;
  let source: KubernetesStatusSource;

  beforeAll(async () => {
    standIn = await startKubernetesStandIn({
      token: 'reader-token',
      objects: [running, failed],
      forbiddenNamespaces: ['payments'],
    });
    const config = readStreamingConfig(
      new ConfigReader({
        streaming: {
          kubernetes: {
            clusters: [
              {
                name: 'prod',
                url: standIn.url,
                serviceAccountToken: 'reader-token',
                skipTLSVerify: true,
                defaultNamespace: 'streaming',
              },
              {
                name: 'restricted',
                url: standIn.url,
                serviceAccountToken: 'reader-token',
                skipTLSVerify: true,
                defaultNamespace: 'payments',
              },
            ],
          },
        },
      }),
    );
    source = new KubernetesStatusSource(config, mockServices.logger.mock());
  });

  afterAll(() => standIn?.close());

  it('serves objects that conform to the SparkApplication CRD', () => {
    const schema = sparkApplicationCrdSchema();
    expect(schemaProblems(running, schema)).toEqual([]);
    expect(schemaProblems(failed, schema)).toEqual([]);
    expect(
      schemaProblems({ ...running, status: { executorState: 'x' } }, schema),
    ).toEqual([
      '.status.driverInfo: required',
      '.status.executorState: expected object',
    ]);
  });

  it('reads state, attempts, executors, driver UI and resources; a forbidden namespace is a partial answer', async () => {
    const answer = await source.getApplication({
      name: 'user-events-to-delta',
    });
    expect(answer.application).toMatchObject({
      cluster: 'prod',
      namespace: 'streaming',
      name: 'user-events-to-delta',
      state: 'RUNNING',
      submissionAttempts: 1,
      executionAttempts: 1,
      executors: { running: 2, total: 3, max: 3 },
      driverUiUrl: 'http://10.0.0.12:4040/',
      resources: {
        driver: { cores: 1, memoryGb: 2 },
        executor: {
          cores: 2,
          memoryGb: 4,
          instances: 3,
          minInstances: 2,
          maxInstances: 3,
        },
      },
    });
    expect(answer.errors).toEqual([
      {
        source: 'kubernetes:restricted/payments',
        message:
          'forbidden (403): the service account may not read sparkapplications here',
      },
    ]);
  });

  it('reports the last error of a failed application', async () => {
    const answer = await source.getApplication({
      cluster: 'prod',
      namespace: 'streaming',
      name: 'orders-to-delta',
    });
    expect(answer.application).toMatchObject({
      state: 'FAILED',
      lastError: 'driver container failed with ExitCode: 1, Reason: Error',
    });
    expect(answer.errors).toEqual([]);
  });

  it('caches answers and names unknown clusters', async () => {
    const before = standIn.requests.length;
    await source.getApplication({ name: 'user-events-to-delta' });
    expect(standIn.requests.length).toBe(before);
    const unknown = await source.getApplication({ cluster: 'nope', name: 'x' });
    expect(unknown.errors[0].message).toBe(
      'No Kubernetes cluster named nope; configured: prod, restricted',
    );
  });
});
