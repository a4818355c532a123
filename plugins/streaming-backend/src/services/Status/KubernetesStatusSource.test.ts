import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { ANNOTATION_OWNER_ENTITY } from '@internal/plugin-streaming-common';
import { SparkApplicationNamespaces } from '@internal/plugin-streaming-node';
import {
  TestKubernetes,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { readStreamingConfig } from '../../config/StreamingConfig';
import { sparkApplication } from '../../__testUtils__/sparkApplications';
import { KubernetesStatusSource } from './KubernetesStatusSource';

/** What the status source needs, as the README documents it. */
const READ_RULES = [
  {
    apiGroups: ['sparkoperator.k8s.io'],
    resources: ['sparkapplications'],
    verbs: ['get'],
  },
];

// The first read loads @kubernetes/client-node (ESM, through vm modules): slow on a busy machine.
const TIMEOUT = 60_000;

describe('KubernetesStatusSource (real Kubernetes API server)', () => {
  const namespace = uniqueName('streaming');
  const forbidden = uniqueName('payments');
  /** Another team's namespace the backend's service account can read. */
  const other = uniqueName('billing');
  let k8s: TestKubernetes;
  let token: string;

  function source(cacheTtl: string, sparkApplications: JsonObject = {}) {
    const clusters = k8s.appConfig([
      { name: 'prod', serviceAccountToken: token, defaultNamespace: namespace },
      {
        name: 'restricted',
        serviceAccountToken: token,
        defaultNamespace: forbidden,
      },
    ]);
    const config = new ConfigReader({
      kubernetes: clusters.kubernetes,
      streaming: {
        kubernetes: clusters.streaming.kubernetes,
        status: { cacheTtl },
        scaffolder: { sparkApplications },
      },
    });
    return new KubernetesStatusSource(
      readStreamingConfig(config, mockServices.logger.mock()),
      SparkApplicationNamespaces.fromConfig(config),
      mockServices.logger.mock(),
    );
  }

  const ref = (name: string) => `component:default/${name}`;

  /**
   * Creates the object as the apply action does (owned by `owner`, default
   * the entity of the same name), then writes its status as the operator does.
   */
  async function create(
    name: string,
    status?: Record<string, unknown>,
    ns = namespace,
    owner: string | null = ref(name),
  ) {
    const { status: _status, ...base } = sparkApplication({
      name,
      namespace: ns,
    });
    const object = {
      ...base,
      metadata: {
        name,
        namespace: ns,
        ...(owner ? { annotations: { [ANNOTATION_OWNER_ENTITY]: owner } } : {}),
      },
    };
    await k8s.ok(
      'PATCH',
      `/apis/sparkoperator.k8s.io/v1beta2/namespaces/${ns}/sparkapplications/${name}?fieldManager=backstage-streaming`,
      object,
      { contentType: 'application/apply-patch+yaml' },
    );
    if (status) {
      await k8s.setSparkApplicationStatus(ns, name, status);
    }
  }

  function operatorStatus(
    name: string,
    state: string,
    extra: Record<string, unknown> = {},
  ) {
    return {
      ...sparkApplication({ name, namespace }).status,
      applicationState: { state },
      ...extra,
    };
  }

  beforeAll(async () => {
    k8s = await TestKubernetes.start();
    await k8s.createNamespaces(namespace, forbidden, other);
    token = await k8s.serviceAccountToken(namespace, 'backstage', {
      [namespace]: READ_RULES,
      [other]: READ_RULES,
    });
  }, 20 * 60_000);

  afterAll(() => k8s?.deleteNamespaces(namespace, forbidden, other));

  it(
    'reads state, attempts, executors, driver UI and resources; a forbidden namespace is a partial answer',
    async () => {
      await create('user-events', operatorStatus('user-events', 'RUNNING'));
      const answer = await source('15s').getApplication({
        name: 'user-events',
        entityRef: ref('user-events'),
      });
      expect(answer.application).toMatchObject({
        cluster: 'prod',
        namespace,
        name: 'user-events',
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
          source: `kubernetes:restricted/${forbidden}`,
          message:
            'forbidden (403): the service account may not read sparkapplications here',
        },
      ]);
    },
    TIMEOUT,
  );

  it(
    'follows the transitions the operator writes, and redacts credentials in its error message',
    async () => {
      const live = source('1ms');
      await create('orders');
      const read = async () =>
        (
          await live.getApplication({
            cluster: 'prod',
            name: 'orders',
            entityRef: ref('orders'),
          })
        ).application;
      expect(await read()).toMatchObject({
        state: 'UNKNOWN',
        executors: { running: 0, total: 0 },
      });
      await k8s.setSparkApplicationStatus(namespace, 'orders', {
        applicationState: { state: 'SUBMITTED' },
        driverInfo: {},
        submissionAttempts: 1,
        lastSubmissionAttemptTime: '2026-11-29T08:00:00Z',
      });
      expect(await read()).toMatchObject({
        state: 'SUBMITTED',
        submissionAttempts: 1,
        lastSubmittedAt: '2026-11-29T08:00:00Z',
      });
      await k8s.setSparkApplicationStatus(
        namespace,
        'orders',
        operatorStatus('orders', 'RUNNING'),
      );
      expect(await read()).toMatchObject({
        state: 'RUNNING',
        executors: { running: 2, total: 3 },
      });
      await k8s.setSparkApplicationStatus(
        namespace,
        'orders',
        operatorStatus('orders', 'FAILED', {
          applicationState: {
            state: 'FAILED',
            errorMessage:
              'driver container failed with ExitCode: 1, Reason: Error; jdbc:postgresql://etl:s3cr3t@db:5432/orders password=hunter2',
          },
          executionAttempts: 2,
          executorState: {
            'orders-exec-1': 'FAILED',
            'orders-exec-2': 'COMPLETED',
          },
        }),
      );
      const failed = await read();
      expect(failed).toMatchObject({
        state: 'FAILED',
        executionAttempts: 2,
        executors: { running: 0, total: 2 },
        lastError:
          'driver container failed with ExitCode: 1, Reason: Error; jdbc:postgresql://***@db:5432/orders password=***',
      });
    },
    TIMEOUT,
  );

  it(
    'caches answers and names unknown clusters',
    async () => {
      await create('clicks', operatorStatus('clicks', 'RUNNING'));
      const cached = source('60s');
      expect(
        (
          await cached.getApplication({
            cluster: 'prod',
            name: 'clicks',
            entityRef: ref('clicks'),
          })
        ).application?.state,
      ).toBe('RUNNING');
      await k8s.setSparkApplicationStatus(
        namespace,
        'clicks',
        operatorStatus('clicks', 'FAILED'),
      );
      expect(
        (
          await cached.getApplication({
            cluster: 'prod',
            name: 'clicks',
            entityRef: ref('clicks'),
          })
        ).application?.state,
      ).toBe('RUNNING');
      const unknown = await cached.getApplication({
        cluster: 'nope',
        name: 'x',
        entityRef: ref('x'),
      });
      expect(unknown.errors[0].message).toBe(
        'No Kubernetes cluster named nope; configured: prod, restricted',
      );
    },
    TIMEOUT,
  );

  it(
    'keys the cache by the resolved cluster and namespace: a cluster named "*" never shares the answer of one naming none',
    async () => {
      await create('cdc', operatorStatus('cdc', 'FAILED'));
      const cached = source('60s');
      const star = await cached.getApplication({
        cluster: '*',
        name: 'cdc',
        entityRef: ref('cdc'),
      });
      expect(star.application).toBeUndefined();
      const none = await cached.getApplication({
        name: 'cdc',
        entityRef: ref('cdc'),
      });
      expect(none.application?.state).toBe('FAILED');
      const starNamespace = await cached.getApplication({
        cluster: 'prod',
        namespace: '*',
        name: 'cdc',
        entityRef: ref('cdc'),
      });
      expect(starNamespace.application).toBeUndefined();
      const explicit = await cached.getApplication({
        cluster: 'prod',
        namespace,
        name: 'cdc',
        entityRef: ref('cdc'),
      });
      expect(explicit.application?.state).toBe('FAILED');
    },
    TIMEOUT,
  );

  it(
    'reports no field of an application owned by another entity or by none',
    async () => {
      const failed = {
        ...operatorStatus('ledger', 'FAILED'),
        applicationState: {
          state: 'FAILED',
          errorMessage: 'ledger driver failed at 10.0.0.99',
        },
      };
      await create('ledger', failed, namespace, ref('ledger'));
      await create('orphan', failed, namespace, null);
      const live = source('1ms');
      const foreign = await live.getApplication({
        cluster: 'prod',
        name: 'ledger',
        entityRef: ref('intruder'),
      });
      expect(foreign).toEqual({
        errors: [
          {
            source: `kubernetes:prod/${namespace}`,
            message: `SparkApplication ledger is not owned by ${ref(
              'intruder',
            )} (its ${ANNOTATION_OWNER_ENTITY} annotation names another entity); not shown`,
          },
        ],
      });
      const orphan = await live.getApplication({
        cluster: 'prod',
        name: 'orphan',
        entityRef: ref('orphan'),
      });
      expect(orphan.application).toBeUndefined();
      expect(orphan.errors[0].message).toContain(
        `is not owned by ${ref('orphan')}`,
      );
      const own = await live.getApplication({
        cluster: 'prod',
        name: 'ledger',
        entityRef: ref('ledger'),
      });
      expect(own.application).toMatchObject({
        namespace,
        name: 'ledger',
        state: 'FAILED',
      });
    },
    TIMEOUT,
  );

  it(
    'never reads a namespace the platform does not deploy to, even one its credentials can read',
    async () => {
      await create('invoices', operatorStatus('invoices', 'RUNNING'), other);
      const answer = await source('1ms').getApplication({
        cluster: 'prod',
        namespace: other,
        name: 'invoices',
        entityRef: ref('invoices'),
      });
      expect(answer).toEqual({
        errors: [
          {
            source: 'kubernetes:prod',
            message: `namespace "${other}" is not one the platform deploys to on this cluster (streaming.scaffolder.sparkApplications.allowedNamespaces: default namespace ${namespace}); not read`,
          },
        ],
      });
      // Exactly one error and no 403 or 404: no request was made (the
      // service account may read the object, and it is this entity's).
      const allowed = await source('1ms', {
        clusters: [{ name: 'prod', allowedNamespaces: [namespace, other] }],
      }).getApplication({
        cluster: 'prod',
        namespace: other,
        name: 'invoices',
        entityRef: ref('invoices'),
      });
      expect(allowed).toEqual({
        application: expect.objectContaining({
          cluster: 'prod',
          namespace: other,
          name: 'invoices',
          state: 'RUNNING',
        }),
        errors: [],
      });
    },
    TIMEOUT,
  );
});
