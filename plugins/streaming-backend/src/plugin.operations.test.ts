import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  ANNOTATION_OWNER_ENTITY,
  PipelineOperation,
  PipelineOperationsResponse,
  PipelineStatusResponse,
} from '@internal/plugin-streaming-common';
import {
  TestKubernetes,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import request from 'supertest';
import { streamingPlugin } from './plugin';
import { openApiTestServer } from './__testUtils__/openApiTestServer';
import { sparkApplication } from './__testUtils__/sparkApplications';
import {
  catalogFactory,
  NON_OWNER,
  OUTSIDER,
  permissionsFactory,
  pipelineEntity,
} from './__testUtils__/testEntities';

jest.setTimeout(120_000);

const OWNER = 'user:default/alice';
const as = (user: string) => mockCredentials.user.header(user);

/** What the backend's service account needs to operate pipelines (README). */
const OPERATE_RULES = [
  {
    apiGroups: ['sparkoperator.k8s.io'],
    resources: ['sparkapplications'],
    verbs: ['get', 'patch', 'delete', 'create'],
  },
];

interface StoredApplication {
  metadata: {
    uid: string;
    resourceVersion: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec: { suspend?: boolean; [key: string]: unknown };
  status?: unknown;
}

describe('pipeline operations on the real Kubernetes API server', () => {
  const namespace = uniqueName('streaming-ops');
  let k8s: TestKubernetes;
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;
  let clusters: ReturnType<TestKubernetes['appConfig']>;

  const resource = (name: string) =>
    `/apis/sparkoperator.k8s.io/v1beta2/namespaces/${namespace}/sparkapplications/${name}`;
  const read = (name: string) =>
    k8s.ok<StoredApplication>('GET', resource(name));

  /** Creates the object as the apply action does, with the operator's status. */
  async function create(name: string, owner = `component:default/${name}`) {
    const { status, ...base } = sparkApplication({ name, namespace });
    await k8s.ok(
      'PATCH',
      `${resource(name)}?fieldManager=backstage-streaming`,
      {
        ...base,
        metadata: {
          name,
          namespace,
          labels: { 'app.kubernetes.io/name': name },
          annotations: { [ANNOTATION_OWNER_ENTITY]: owner },
        },
      },
      { contentType: 'application/apply-patch+yaml' },
    );
    await k8s.setSparkApplicationStatus(namespace, name, status);
  }

  const post = (name: string, action: string, user = OWNER) =>
    request(server)
      .post(`/api/streaming/pipelines/default/${name}/${action}`)
      .set('Authorization', as(user));

  const history = async (name: string) => {
    const res = await request(server)
      .get(`/api/streaming/pipelines/default/${name}/operations`)
      .set('Authorization', as(OWNER));
    expect(res.status).toBe(200);
    return (res.body as PipelineOperationsResponse).operations;
  };

  beforeAll(async () => {
    k8s = await TestKubernetes.start();
    await k8s.createNamespaces(namespace);
    const token = await k8s.serviceAccountToken(namespace, 'backstage', {
      [namespace]: OPERATE_RULES,
    });
    clusters = k8s.appConfig([
      { name: 'prod', serviceAccountToken: token, defaultNamespace: namespace },
    ]);
    const names = [
      'pausable',
      'suspendable',
      'restartable',
      'refused',
      'foreign',
      'missing',
    ];
    const backend = await startTestBackend({
      features: [
        streamingPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: clusters.kubernetes,
            streaming: {
              kubernetes: clusters.streaming.kubernetes,
              // This API server runs no garbage collector (no
              // kube-controller-manager): Foreground deletion would never
              // finish. The Foreground default is tested below.
              operations: {
                deletePollInterval: '50ms',
                restartPropagation: 'Background',
              },
            },
          },
        }),
        catalogFactory(
          names.map(name =>
            pipelineEntity({ name, topic: 'events', cluster: 'local' }),
          ),
        ),
        permissionsFactory(),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    server = await openApiTestServer(backend.server);
    stop = () => backend.stop();
    await create('pausable');
    await create('suspendable');
    await create('restartable');
    await create('refused');
    await create('foreign', 'component:default/someone-else');
  }, 20 * 60_000);

  afterAll(async () => {
    await stop?.();
    await k8s?.deleteNamespaces(namespace);
  });

  it('pauses (spec.suspend true), pauses again without a change, resumes; each recorded with who and when', async () => {
    const before = Date.now();
    const paused = await post('pausable', 'pause');
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      entityRef: 'component:default/pausable',
      action: 'pause',
      actor: OWNER,
      result: 'done',
      target: { cluster: 'prod', namespace, name: 'pausable' },
    });
    expect(Date.parse(paused.body.at)).toBeGreaterThanOrEqual(before - 1000);
    const afterPause = await read('pausable');
    expect(afterPause.spec.suspend).toBe(true);

    const again = await post('pausable', 'pause');
    expect(again.status).toBe(200);
    expect(again.body.result).toBe('unchanged');
    expect((await read('pausable')).metadata.resourceVersion).toBe(
      afterPause.metadata.resourceVersion,
    );

    const resumed = await post('pausable', 'resume');
    expect(resumed.body).toMatchObject({ action: 'resume', result: 'done' });
    expect((await read('pausable')).spec.suspend).toBe(false);

    const operations = await history('pausable');
    expect(
      operations.map(o => [o.action, o.result, o.actor, o.entityRef]),
    ).toEqual([
      ['resume', 'done', OWNER, 'component:default/pausable'],
      ['pause', 'unchanged', OWNER, 'component:default/pausable'],
      ['pause', 'done', OWNER, 'component:default/pausable'],
    ]);
    expect(operations[0].id).toBeGreaterThan(operations[2].id);
  });

  it('the status says suspended after a pause and running again after a resume, without waiting for its cache', async () => {
    const status = async () => {
      const res = await request(server)
        .get('/api/streaming/pipelines/default/suspendable/status')
        .set('Authorization', as(OWNER));
      expect(res.status).toBe(200);
      return res.body as PipelineStatusResponse;
    };
    // Read (and cached, streaming.status.cacheTtl) before the pause.
    expect((await status()).application).toMatchObject({
      name: 'suspendable',
      state: 'RUNNING',
      suspended: false,
    });
    expect((await post('suspendable', 'pause')).body.result).toBe('done');
    expect((await status()).application?.suspended).toBe(true);
    expect((await post('suspendable', 'resume')).body.result).toBe('done');
    expect((await status()).application?.suspended).toBe(false);
  });

  it('restarts: deletes and creates the object again with a new uid, the same spec, labels and annotations, and no status', async () => {
    const before = await read('restartable');
    expect(before.status).toBeDefined();
    const res = await post('restartable', 'restart');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ action: 'restart', result: 'done' });
    const after = await read('restartable');
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata.labels).toEqual(before.metadata.labels);
    expect(after.metadata.annotations).toEqual(before.metadata.annotations);
    expect(after.status ?? {}).toEqual({});
    expect(res.body.message).toBe(
      `deleted uid ${before.metadata.uid}, created uid ${after.metadata.uid}`,
    );
  });

  it('refuses a caller without streaming.pipeline.operate with 403: the object is unchanged, the attempt is recorded as refused', async () => {
    const before = await read('refused');
    for (const action of ['pause', 'restart']) {
      const res = await post('refused', action, NON_OWNER);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('streaming.pipeline.operate');
    }
    const after = await read('refused');
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
    const operations = await history('refused');
    expect(operations.map(o => [o.action, o.result, o.actor])).toEqual([
      ['restart', 'refused', NON_OWNER],
      ['pause', 'refused', NON_OWNER],
    ]);
  });

  it('answers 404 for a pipeline the caller cannot see or that does not exist, and for one without a SparkApplication', async () => {
    expect((await post('pausable', 'pause', OUTSIDER)).status).toBe(404);
    expect((await post('no-such-pipeline', 'pause')).status).toBe(404);
    const missing = await post('missing', 'pause');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain(
      `prod/${namespace}: no SparkApplication`,
    );
    expect((await history('missing')).map(o => o.result)).toEqual(['failed']);
  });

  it("does not operate another entity's object of the same name (409, unchanged)", async () => {
    const before = await read('foreign');
    const res = await post('foreign', 'pause');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('is not owned by');
    expect((await read('foreign')).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
  });

  it('pages the history with limit', async () => {
    const res = await request(server)
      .get('/api/streaming/pipelines/default/pausable/operations?limit=1')
      .set('Authorization', as(OWNER));
    expect(res.status).toBe(200);
    expect(
      (res.body.operations as PipelineOperation[]).map(o => o.action),
    ).toEqual(['resume']);
  });

  it('restarts with Foreground propagation by default: the object waits for its pods to stop, and a restart that outlasts restartTimeout fails without re-creating', async () => {
    await create('stuck');
    const before = await read('stuck');
    const other = await startTestBackend({
      features: [
        streamingPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: clusters.kubernetes,
            streaming: {
              kubernetes: clusters.streaming.kubernetes,
              operations: {
                restartTimeout: '1s',
                deletePollInterval: '50ms',
              },
            },
          },
        }),
        catalogFactory([
          pipelineEntity({ name: 'stuck', topic: 'events', cluster: 'local' }),
        ]),
        permissionsFactory(),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    try {
      const res = await request(await openApiTestServer(other.server))
        .post('/api/streaming/pipelines/default/stuck/restart')
        .set('Authorization', as(OWNER));
      expect(res.status).toBe(503);
      expect(res.body.error.message).toContain(
        'still being deleted after 1 s (streaming.operations.restartTimeout)',
      );
      // Without a garbage collector the foregroundDeletion finalizer stays:
      // the object is the one read, being deleted, and not created again.
      const after = await k8s.ok<
        StoredApplication & {
          metadata: { deletionTimestamp?: string; finalizers?: string[] };
        }
      >('GET', resource('stuck'));
      expect(after.metadata.uid).toBe(before.metadata.uid);
      expect(after.metadata.finalizers).toContain('foregroundDeletion');
      expect(after.metadata.deletionTimestamp).toBeDefined();
    } finally {
      await other.stop();
    }
  });
});
