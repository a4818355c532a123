import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity, UserEntity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  TestKubernetes,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { loadKubernetesClient } from '@internal/plugin-streaming-node';
import fs from 'node:fs';
import { parse, stringify } from 'yaml';
import { invokeAction } from '../__testUtils__/invokeAction';
import { runExample } from '../__testUtils__/runExample';
import { SPARK_APPLICATION_APPLY_RULES as APPLY_RULES } from '../__testUtils__/testEnvironment';
import { KubernetesApplier } from '../services/KubernetesApplier/KubernetesApplier';
import { createSparkApplicationApplyAction } from './sparkApplicationApply';
import { examples } from './sparkApplicationApply.examples';

const OWNER = 'streaming-platform.dev/owner-entity';

/** A pipeline entity already in the catalog. */
function pipelineEntity(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'streaming-pipeline', lifecycle: 'production', owner },
  };
}

/** A signed-in user as the scaffolder passes it: the ref and the catalog entity with its relations. */
const alice: { ref: string; entity: UserEntity } = {
  ref: 'user:default/alice',
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: { memberOf: ['team-growth'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/team-growth' }],
  },
};

function sparkApplication(
  name: string,
  overrides: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name, labels: { app: name }, ...metadata },
    spec: {
      type: 'Python',
      mode: 'cluster',
      pythonVersion: '3',
      sparkVersion: '4.0.0',
      image: 'registry.example.com/data/orders:1.0.0',
      mainApplicationFile: 'local:///opt/pipeline/job.py',
      restartPolicy: { type: 'Always' },
      driver: { cores: 1, memory: '2g', serviceAccount: 'spark' },
      executor: { cores: 2, memory: '4g', instances: 2 },
      ...overrides,
    },
  };
}

describe('streaming:sparkApplication:apply (real Kubernetes API server)', () => {
  const dir = createMockDirectory();
  const namespace = uniqueName('apply');
  const second = uniqueName('apply-b');
  const notAllowed = uniqueName('apply-system');
  let k8s: TestKubernetes;
  let action: ReturnType<typeof createSparkApplicationApplyAction>;

  const path = (ns: string, name: string) =>
    `/apis/sparkoperator.k8s.io/v1beta2/namespaces/${ns}/sparkapplications/${name}`;

  beforeAll(async () => {
    // @kubernetes/client-node (ESM, through vm modules) is slow to load on a busy machine.
    await loadKubernetesClient();
    k8s = await TestKubernetes.start();
    await k8s.createNamespaces(namespace, second, notAllowed);
    const grants = Object.fromEntries(
      [namespace, second, notAllowed].map(ns => [ns, APPLY_RULES]),
    );
    const token = await k8s.serviceAccountToken(namespace, 'backstage', grants);
    // One account per documented verb that it lacks.
    const lacking = async (verb: string) =>
      k8s.serviceAccountToken(namespace, `no-${verb}`, {
        [namespace]: [
          {
            ...APPLY_RULES[0],
            verbs: APPLY_RULES[0].verbs.filter(v => v !== verb),
          },
        ],
      });
    const [noPatch, noCreate] = [
      await lacking('patch'),
      await lacking('create'),
    ];
    const clusters = k8s.appConfig([
      {
        name: 'staging',
        serviceAccountToken: token,
        defaultNamespace: namespace,
      },
      {
        name: 'no-patch',
        serviceAccountToken: noPatch,
        defaultNamespace: namespace,
      },
      {
        name: 'no-create',
        serviceAccountToken: noCreate,
        defaultNamespace: namespace,
      },
      {
        name: 'wrong-token',
        serviceAccountToken: 'nope',
        defaultNamespace: namespace,
      },
    ]);
    const config = mockServices.rootConfig({
      data: {
        kubernetes: clusters.kubernetes,
        streaming: {
          kubernetes: clusters.streaming.kubernetes,
          scaffolder: {
            sparkApplications: {
              allowedImageRegistries: ['registry.example.com/data'],
              clusters: [
                { name: 'staging', allowedNamespaces: [namespace, second] },
              ],
            },
          },
        },
      },
    });
    action = createSparkApplicationApplyAction({
      applier: KubernetesApplier.fromConfig(config),
      catalog: catalogServiceMock({
        entities: [
          pipelineEntity('payments-stream', 'group:default/team-payments'),
          pipelineEntity('growth-stream', 'team-growth'),
          pipelineEntity('alice-sandbox', 'user:default/alice'),
        ],
      }),
    });
  }, 20 * 60_000);

  afterAll(() => k8s?.deleteNamespaces(namespace, second, notAllowed));

  beforeEach(() => dir.clear());

  function workspace(documents: unknown[]) {
    dir.setContent({
      'deploy/sparkapplication.yaml': documents
        .map(d => stringify(d))
        .join('---\n'),
    });
    return dir.path;
  }

  const apply = (
    input: Record<string, string>,
    documents: unknown[],
    isDryRun = false,
    user?: typeof alice,
  ) =>
    invokeAction(
      action,
      { manifestPath: 'deploy/sparkapplication.yaml', ...input },
      { workspacePath: workspace(documents), isDryRun, user },
    );

  const stored = async (ns: string, name: string) =>
    (await k8s.request('GET', path(ns, name))).body as {
      metadata: {
        resourceVersion: string;
        annotations?: Record<string, string>;
        managedFields: Array<{ manager: string; operation: string }>;
      };
      spec: Record<string, any>;
    };

  it('creates the object server-side, owned by the entity, and outputs name, namespace and resourceVersion', async () => {
    const name = uniqueName('orders');
    const outputs = await apply(
      { cluster: 'staging', entityRef: 'component:default/orders' },
      [sparkApplication(name)],
    );
    const object = await stored(namespace, name);
    expect(outputs).toEqual({
      name,
      namespace,
      resourceVersion: object.metadata.resourceVersion,
      applied: [
        {
          kind: 'SparkApplication',
          name,
          namespace,
          resourceVersion: object.metadata.resourceVersion,
          result: 'created',
          dryRun: false,
        },
      ],
    });
    expect(object.spec).toMatchObject(sparkApplication(name).spec);
    expect(object.metadata.annotations?.[OWNER]).toBe(
      'component:default/orders',
    );
    expect(object.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'backstage-streaming',
        operation: 'Apply',
      }),
    ]);
  });

  it('is idempotent: the same manifest again keeps the resourceVersion; a change moves it', async () => {
    const name = uniqueName('orders');
    const input = {
      cluster: 'staging',
      namespace: second,
      entityRef: 'component:default/orders',
    };
    const first = await apply(input, [sparkApplication(name)]);
    const again = await apply(input, [sparkApplication(name)]);
    expect(again.resourceVersion).toBe(first.resourceVersion);
    expect(again.namespace).toBe(second);
    const changed = await apply(input, [
      sparkApplication(name, {
        executor: { cores: 2, memory: '4g', instances: 4 },
      }),
    ]);
    expect(Number(changed.resourceVersion)).toBeGreaterThan(
      Number(first.resourceVersion),
    );
    expect((await stored(second, name)).spec.executor.instances).toBe(4);
  });

  it('uses the server dry run in dry run and stores nothing', async () => {
    const name = uniqueName('orders');
    const outputs = await apply(
      { cluster: 'staging' },
      [sparkApplication(name)],
      true,
    );
    expect(outputs.resourceVersion).toBe('');
    expect((await k8s.request('GET', path(namespace, name))).status).toBe(404);
  });

  it.each([
    [
      'a value outside an enum',
      { type: 'Cobol' },
      /SparkApplication\.sparkoperator\.k8s\.io ".*" is invalid: spec\.type: Unsupported value: "Cobol"/,
    ],
    [
      'a value of the wrong type',
      { executor: { instances: 'many' } },
      /\.spec\.executor\.instances: expected numeric \(int or float\), got string/,
    ],
  ])(
    "reports the API server's message for %s",
    async (_label, overrides, message) => {
      const name = uniqueName('orders');
      const error = await apply({ cluster: 'staging' }, [
        sparkApplication(name, overrides),
      ]).catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(
        `The API server rejected SparkApplication ${namespace}/${name} on Kubernetes cluster "staging": `,
      );
      expect(error.message).toMatch(message);
      expect((await k8s.request('GET', path(namespace, name))).status).toBe(
        404,
      );
    },
  );

  it("masks credentials the API server's answer repeats", async () => {
    const name = uniqueName('orders');
    const error = await apply({ cluster: 'staging' }, [
      sparkApplication(name, { mode: 'password=hunter2' }),
    ]).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /spec\.mode: Unsupported value: "password=\*\*\*"/,
    );
    expect(error.message).not.toContain('hunter2');
  });

  it.each(['patch', 'create'])(
    'a service account without the %s verb gets the documented error',
    async verb => {
      const name = uniqueName('orders');
      await expect(
        apply({ cluster: `no-${verb}` }, [sparkApplication(name)]),
      ).rejects.toThrow(
        new RegExp(
          `Not allowed to apply SparkApplication ${namespace}/${name} on Kubernetes cluster "no-${verb}" \\(HTTP 403\\): .*cannot ${verb} resource "sparkapplications"`,
        ),
      );
    },
  );

  it('fails clearly without a valid token, and never logs or outputs it', async () => {
    const promise = apply({ cluster: 'wrong-token' }, [
      sparkApplication(uniqueName('orders')),
    ]);
    await expect(promise).rejects.toThrow(
      /Not allowed to .* on Kubernetes cluster "wrong-token" \(HTTP 401\)/,
    );
    await expect(promise).rejects.not.toThrow('nope');
  });

  describe('apply policy', () => {
    it('refuses a namespace outside the allowed ones, naming the limit', async () => {
      const name = uniqueName('orders');
      await expect(
        apply({ cluster: 'staging', namespace: notAllowed }, [
          sparkApplication(name),
        ]),
      ).rejects.toThrow(
        `namespace "${notAllowed}" is not allowed on Kubernetes cluster "staging" (streaming.scaffolder.sparkApplications.clusters[staging].allowedNamespaces: ${namespace}, ${second})`,
      );
      expect((await k8s.request('GET', path(notAllowed, name))).status).toBe(
        404,
      );
    });

    it("allows only the cluster's default namespace when none are configured", async () => {
      const name = uniqueName('orders');
      await expect(
        apply({ cluster: 'no-patch', namespace: second }, [
          sparkApplication(name),
        ]),
      ).rejects.toThrow(
        `namespace "${second}" is not allowed on Kubernetes cluster "no-patch" (streaming.scaffolder.sparkApplications.allowedNamespaces: default namespace ${namespace})`,
      );
    });

    it.each([
      [
        'a privileged driver',
        {
          driver: {
            cores: 1,
            memory: '2g',
            serviceAccount: 'spark',
            securityContext: { privileged: true },
          },
        },
        'spec.driver.securityContext.privileged: privileged containers are not allowed',
      ],
      [
        'a hostPath volume',
        { volumes: [{ name: 'root', hostPath: { path: '/' } }] },
        'spec.volumes[0].hostPath: hostPath volumes are not allowed',
      ],
      [
        'the host network',
        {
          executor: {
            cores: 1,
            memory: '1g',
            instances: 1,
            hostNetwork: true,
          },
        },
        'spec.executor.hostNetwork: the host network is not allowed',
      ],
      [
        'a foreign service account',
        { driver: { cores: 1, memory: '2g', serviceAccount: 'cluster-admin' } },
        'spec.driver.serviceAccount: service account "cluster-admin" is not allowed (streaming.scaffolder.sparkApplications.allowedServiceAccounts: spark)',
      ],
      [
        'an image from another registry',
        { image: 'evil.example.net/miner:latest' },
        'spec.image: image "evil.example.net/miner:latest" is not from an allowed registry (streaming.scaffolder.sparkApplications.allowedImageRegistries: registry.example.com/data)',
      ],
      [
        'a hostPath volume through sparkConf',
        {
          sparkConf: {
            'spark.kubernetes.driver.volumes.hostPath.root.options.path': '/',
          },
        },
        'spec.sparkConf["spark.kubernetes.driver.volumes.hostPath.root.options.path"]: this Spark setting is not allowed',
      ],
    ])('refuses %s and sends nothing', async (_label, overrides, message) => {
      const name = uniqueName('orders');
      await expect(
        apply({ cluster: 'staging' }, [sparkApplication(name, overrides)]),
      ).rejects.toThrow(message);
      expect((await k8s.request('GET', path(namespace, name))).status).toBe(
        404,
      );
    });

    it("never takes over another entity's SparkApplication", async () => {
      const name = uniqueName('orders');
      await apply({ cluster: 'staging', entityRef: 'component:default/a' }, [
        sparkApplication(name),
      ]);
      const before = await stored(namespace, name);
      await expect(
        apply({ cluster: 'staging', entityRef: 'component:default/b' }, [
          sparkApplication(name, {
            executor: { cores: 2, memory: '4g', instances: 9 },
          }),
        ]),
      ).rejects.toThrow(
        `SparkApplication ${namespace}/${name} on Kubernetes cluster "staging" belongs to component:default/a, not component:default/b; it is not taken over`,
      );
      expect((await stored(namespace, name)).metadata.resourceVersion).toBe(
        before.metadata.resourceVersion,
      );
    });

    it('refuses an entity ref of a pipeline the user does not own, before anything reaches the cluster', async () => {
      const name = uniqueName('payments');
      const attempt = apply(
        { cluster: 'staging', entityRef: 'component:default/payments-stream' },
        [sparkApplication(name)],
        false,
        alice,
      );
      await expect(attempt).rejects.toThrow(NotAllowedError);
      await expect(attempt).rejects.toThrow(
        'component:default/payments-stream already exists in the catalog and user:default/alice is not among its owners (spec.owner: group:default/team-payments); its SparkApplication is not applied',
      );
      // Without a signed-in user nobody owns it either.
      await expect(
        apply(
          {
            cluster: 'staging',
            entityRef: 'component:default/payments-stream',
          },
          [sparkApplication(name)],
        ),
      ).rejects.toThrow(NotAllowedError);
      expect((await k8s.request('GET', path(namespace, name))).status).toBe(
        404,
      );
    });

    it('applies for a pipeline the user owns through a group or directly, and for one not in the catalog yet', async () => {
      for (const entity of ['growth-stream', 'alice-sandbox', 'brand-new']) {
        const name = uniqueName(entity);
        await apply(
          { cluster: 'staging', entityRef: `component:default/${entity}` },
          [sparkApplication(name)],
          false,
          alice,
        );
        expect(
          (await stored(namespace, name)).metadata.annotations?.[OWNER],
        ).toBe(`component:default/${entity}`);
      }
    });

    it('never takes over an object that another tool created', async () => {
      const name = uniqueName('orders');
      await k8s.ok(
        'PATCH',
        `${path(namespace, name)}?fieldManager=kubectl`,
        sparkApplication(name),
        { contentType: 'application/apply-patch+yaml' },
      );
      await expect(
        apply({ cluster: 'staging' }, [sparkApplication(name)]),
      ).rejects.toThrow(
        `SparkApplication ${namespace}/${name} on Kubernetes cluster "staging" belongs to no catalog entity (no ${OWNER} annotation); it is not taken over`,
      );
    });

    it("does not force fields another field manager owns: the server's conflict", async () => {
      const name = uniqueName('orders');
      // Someone applied the object with the owner annotation, but with another field manager.
      await k8s.ok(
        'PATCH',
        `${path(namespace, name)}?fieldManager=kubectl`,
        sparkApplication(
          name,
          { executor: { cores: 2, memory: '4g', instances: 3 } },
          { annotations: { [OWNER]: `component:default/${name}` } },
        ),
        { contentType: 'application/apply-patch+yaml' },
      );
      await expect(
        apply({ cluster: 'staging' }, [sparkApplication(name)]),
      ).rejects.toThrow(
        /Conflict applying SparkApplication .*: Apply failed with \d+ conflicts?: conflict with "kubectl".*\.spec\.executor\.instances/,
      );
      expect((await stored(namespace, name)).spec.executor.instances).toBe(3);
    });

    it('takes back its own fields with force when the object is its own', async () => {
      const name = uniqueName('orders');
      await apply({ cluster: 'staging' }, [sparkApplication(name)]);
      // An edit by hand with another manager (kubectl edit --server-side --force-conflicts).
      await k8s.ok(
        'PATCH',
        `${path(namespace, name)}?fieldManager=kubectl&force=true`,
        {
          apiVersion: 'sparkoperator.k8s.io/v1beta2',
          kind: 'SparkApplication',
          metadata: { name },
          spec: { executor: { instances: 7 } },
        },
        { contentType: 'application/apply-patch+yaml' },
      );
      await apply({ cluster: 'staging' }, [sparkApplication(name)]);
      expect((await stored(namespace, name)).spec.executor.instances).toBe(2);
    });
  });

  it.each([
    [
      'another kind',
      [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }],
      'kind "Secret" is not applied by this action',
    ],
    [
      'a hostile name',
      [{ ...sparkApplication('x'), metadata: { name: '../../secrets' } }],
      'metadata.name must be a Kubernetes name',
    ],
    ['no SparkApplication', [], 'holds no SparkApplication'],
  ])('rejects a file with %s', async (_label, documents, message) => {
    await expect(apply({ cluster: 'staging' }, documents)).rejects.toThrow(
      message,
    );
  });

  it('rejects unknown clusters and paths outside the workspace', async () => {
    await expect(
      apply({ cluster: 'prod' }, [sparkApplication('x')]),
    ).rejects.toThrow(
      'No Kubernetes cluster named "prod"; configured: staging, no-patch, no-create, wrong-token',
    );
    await expect(
      apply({ cluster: 'staging', manifestPath: '../../etc/passwd' }, [
        sparkApplication('x'),
      ]),
    ).rejects.toThrow(/outside/);
  });

  describe('the generated deploy/ folder: SparkApplication, maintenance ScheduledSparkApplication, PrometheusRule', () => {
    const resources: Record<string, string> = {
      SparkApplication:
        'sparkoperator.k8s.io/v1beta2/namespaces/NS/sparkapplications',
      ScheduledSparkApplication:
        'sparkoperator.k8s.io/v1beta2/namespaces/NS/scheduledsparkapplications',
      PrometheusRule: 'monitoring.coreos.com/v1/namespaces/NS/prometheusrules',
    };
    const objectPath = (kind: string, ns: string, name: string) =>
      `/apis/${resources[kind].replace('NS', ns)}/${name}`;

    /** The three files the code generator writes (deploy/*.yaml), plus its dashboard JSON. */
    function deployFolder(name: string, ns?: string) {
      const metadata = (suffix: string) => ({
        name: `${name}${suffix}`,
        ...(ns ? { namespace: ns } : {}),
        labels: { 'backstage.io/kubernetes-id': name },
      });
      const { spec } = sparkApplication(name);
      dir.setContent({
        'deploy/spark-application.yaml': stringify({
          ...sparkApplication(name),
          metadata: metadata(''),
        }),
        'deploy/table-maintenance.yaml': stringify({
          apiVersion: 'sparkoperator.k8s.io/v1beta2',
          kind: 'ScheduledSparkApplication',
          metadata: metadata('-maint'),
          spec: {
            schedule: '0 3 * * 0',
            concurrencyPolicy: 'Forbid',
            template: { ...spec, restartPolicy: { type: 'Never' } },
          },
        }),
        'deploy/prometheus-rule.yaml': stringify({
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'PrometheusRule',
          metadata: metadata('-alerts'),
          spec: {
            groups: [
              {
                name: `streaming-pipeline-${name}`,
                rules: [
                  {
                    alert: 'Stale',
                    expr: `time() - max(streaming_pipeline_last_batch_timestamp_seconds{pipeline="${name}"}) > 300`,
                    for: '5m',
                    labels: { severity: 'critical' },
                    annotations: { summary: 'No micro-batch' },
                  },
                ],
              },
            ],
          },
        }),
        'deploy/grafana-dashboard.json': '{"title": "not a manifest"}',
      });
      return dir.path;
    }

    const applyFolder = (
      name: string,
      input: Record<string, string>,
      options: { isDryRun?: boolean; ns?: string } = {},
    ) =>
      invokeAction(
        action,
        { manifestPath: 'deploy', cluster: 'staging', ...input },
        {
          workspacePath: deployFolder(name, options.ns),
          isDryRun: options.isDryRun ?? false,
        },
      );

    const kinds = [
      ['SparkApplication', ''],
      ['ScheduledSparkApplication', '-maint'],
      ['PrometheusRule', '-alerts'],
    ] as const;

    it("applies the first environment's deploy/<environment>/ when the spec declares environments and deploy/ has no spark-application.yaml", async () => {
      const name = uniqueName('envs');
      const entityRef = `component:default/${name}`;
      const inEnvironment = (env: string, ns: string) =>
        stringify({
          ...sparkApplication(name),
          metadata: {
            name,
            namespace: ns,
            labels: { 'streaming-platform.dev/environment': env },
          },
        });
      dir.setContent({
        'pipeline.yaml': `pipeline:
  name: ${name}
  source: { type: kafka, topic: t, format: json, fields: [{ name: id, type: string }] }
  sink: { type: delta, path: /data/delta/t, mode: append, checkpoint: /checkpoints/t }
  environments:
    - { name: dev, namespace: ${namespace}, table_prefix: dev_ }
    - { name: prod, namespace: ${second} }
`,
        'deploy/dev/spark-application.yaml': inEnvironment('dev', namespace),
        'deploy/prod/spark-application.yaml': inEnvironment('prod', second),
        'deploy/grafana-dashboard.json': '{}',
      });
      const folder = await invokeAction(
        action,
        { manifestPath: 'deploy', cluster: 'staging', entityRef },
        { workspacePath: dir.path },
      );
      expect(folder).toMatchObject({
        name,
        namespace,
        applied: [{ result: 'created' }],
      });
      expect(
        (await stored(namespace, name)) as unknown as {
          metadata: { labels: Record<string, string> };
        },
      ).toMatchObject({
        metadata: { labels: { 'streaming-platform.dev/environment': 'dev' } },
      });
      // prod is promoted to, never deployed by Create.
      expect((await k8s.request('GET', path(second, name))).status).toBe(404);

      // The file path of a repository without environments, likewise.
      const file = await invokeAction(
        action,
        {
          manifestPath: 'deploy/spark-application.yaml',
          cluster: 'staging',
          entityRef,
        },
        { workspacePath: dir.path },
      );
      expect(file.applied).toEqual([
        expect.objectContaining({ namespace, result: 'unchanged' }),
      ]);
      expect((await k8s.request('GET', path(second, name))).status).toBe(404);
    });

    it('creates each kind, owned by the entity, and reports each result; again: unchanged', async () => {
      const name = uniqueName('orders');
      const entityRef = `component:default/${name}`;
      const first = await applyFolder(name, { entityRef });
      expect(first.applied).toEqual(
        kinds.map(([kind, suffix]) => ({
          kind,
          name: `${name}${suffix}`,
          namespace,
          resourceVersion: expect.stringMatching(/^\d+$/),
          result: 'created',
          dryRun: false,
        })),
      );
      for (const [kind, suffix] of kinds) {
        const object = (await k8s.ok(
          'GET',
          objectPath(kind, namespace, `${name}${suffix}`),
        )) as { metadata: { annotations: Record<string, string> } };
        expect(object.metadata.annotations[OWNER]).toBe(entityRef);
      }
      const again = await applyFolder(name, { entityRef });
      expect(again.applied).toEqual(
        first.applied.map((a: object) => ({ ...a, result: 'unchanged' })),
      );
    });

    it('reports a changed object as configured, in dry run too without storing it', async () => {
      const name = uniqueName('orders');
      await applyFolder(name, {});
      dir.setContent({
        'deploy/prometheus-rule.yaml': stringify({
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'PrometheusRule',
          metadata: { name: `${name}-alerts` },
          spec: { groups: [{ name: 'other', rules: [] }] },
        }),
        // The same SparkApplication as before.
        'deploy/spark-application.yaml': stringify({
          ...sparkApplication(name),
          metadata: { name, labels: { 'backstage.io/kubernetes-id': name } },
        }),
      });
      const before = (await k8s.ok(
        'GET',
        objectPath('PrometheusRule', namespace, `${name}-alerts`),
      )) as { metadata: { resourceVersion: string } };
      const dryRun = await invokeAction(
        action,
        { manifestPath: 'deploy', cluster: 'staging' },
        { workspacePath: dir.path, isDryRun: true },
      );
      expect(dryRun.applied.map((a: { result: string }) => a.result)).toEqual([
        'unchanged',
        'configured',
      ]);
      expect(dryRun.applied[1].dryRun).toBe(true);
      const after = (await k8s.ok(
        'GET',
        objectPath('PrometheusRule', namespace, `${name}-alerts`),
      )) as { metadata: { resourceVersion: string } };
      expect(after.metadata.resourceVersion).toBe(
        before.metadata.resourceVersion,
      );
    });

    it('creates nothing in dry run, each object validated by the API server', async () => {
      const name = uniqueName('orders');
      const outputs = await applyFolder(name, {}, { isDryRun: true });
      expect(
        outputs.applied.map(
          (a: { kind: string; result: string; dryRun: boolean }) => [
            a.kind,
            a.result,
            a.dryRun,
          ],
        ),
      ).toEqual(kinds.map(([kind]) => [kind, 'created', true]));
      for (const [kind, suffix] of kinds) {
        expect(
          (
            await k8s.request(
              'GET',
              objectPath(kind, namespace, `${name}${suffix}`),
            )
          ).status,
        ).toBe(404);
      }
    });

    it.each(kinds)(
      'refuses a %s in a namespace that is not allowed, before any object is sent',
      async (kind, suffix) => {
        const name = uniqueName('orders');
        deployFolder(name, namespace);
        // The one object of this kind moved to a namespace that is not allowed.
        const file = {
          SparkApplication: 'spark-application.yaml',
          ScheduledSparkApplication: 'table-maintenance.yaml',
          PrometheusRule: 'prometheus-rule.yaml',
        }[kind];
        const moved = parse(
          fs.readFileSync(dir.resolve('deploy', file), 'utf8'),
        );
        moved.metadata.namespace = notAllowed;
        dir.addContent({ [`deploy/${file}`]: stringify(moved) });
        await expect(
          invokeAction(
            action,
            { manifestPath: 'deploy', cluster: 'staging' },
            { workspacePath: dir.path },
          ),
        ).rejects.toThrow(
          `${kind} ${notAllowed}/${name}${suffix} on Kubernetes cluster "staging" breaks the apply policy: namespace "${notAllowed}" is not allowed on Kubernetes cluster "staging"`,
        );
        for (const [other, otherSuffix] of kinds) {
          for (const ns of [namespace, notAllowed]) {
            expect(
              (
                await k8s.request(
                  'GET',
                  objectPath(other, ns, `${name}${otherSuffix}`),
                )
              ).status,
            ).toBe(404);
          }
        }
      },
    );

    it.each(kinds)(
      'never takes over a %s of another entity (and stops there)',
      async (kind, suffix) => {
        const name = uniqueName('orders');
        // Another entity's object of this kind, applied by an admin.
        const other = {
          apiVersion:
            kind === 'PrometheusRule'
              ? 'monitoring.coreos.com/v1'
              : 'sparkoperator.k8s.io/v1beta2',
          kind,
          metadata: {
            name: `${name}${suffix}`,
            annotations: { [OWNER]: 'component:default/someone-else' },
          },
        };
        await k8s.ok(
          'PATCH',
          `${objectPath(
            kind,
            namespace,
            `${name}${suffix}`,
          )}?fieldManager=kubectl`,
          {
            ...other,
            spec: {
              SparkApplication: sparkApplication(name).spec,
              ScheduledSparkApplication: {
                schedule: '@daily',
                template: sparkApplication(name).spec,
              },
              PrometheusRule: { groups: [] },
            }[kind],
          },
          { contentType: 'application/apply-patch+yaml' },
        );
        const before = (await k8s.ok(
          'GET',
          objectPath(kind, namespace, `${name}${suffix}`),
        )) as { metadata: { resourceVersion: string } };
        await expect(
          applyFolder(name, { entityRef: `component:default/${name}` }),
        ).rejects.toThrow(
          `${kind} ${namespace}/${name}${suffix} on Kubernetes cluster "staging" belongs to component:default/someone-else, not component:default/${name}; it is not taken over`,
        );
        const after = (await k8s.ok(
          'GET',
          objectPath(kind, namespace, `${name}${suffix}`),
        )) as {
          metadata: {
            resourceVersion: string;
            annotations: Record<string, string>;
          };
        };
        expect(after.metadata.resourceVersion).toBe(
          before.metadata.resourceVersion,
        );
        expect(after.metadata.annotations[OWNER]).toBe(
          'component:default/someone-else',
        );
      },
    );
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const name = uniqueName('orders');
      const rendered = example
        .replaceAll('${{ parameters.kubernetesCluster }}', 'staging')
        .replaceAll('data-pipelines', second)
        .replaceAll(
          '${{ steps.register.output.entityRef }}',
          `component:default/${name}`,
        );
      const [outputs] = await runExample(action, rendered, {
        workspacePath: workspace([sparkApplication(name)]),
      });
      expect(outputs.name).toBe(name);
      expect(outputs.resourceVersion).toMatch(/^\d+$/);
    },
  );
});
