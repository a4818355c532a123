import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { PipelineHealth } from '@internal/plugin-streaming-common';
import request from 'supertest';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { DatabaseProgressStore } from '../ProgressStore/DatabaseProgressStore';
import { PipelineState } from '../Status/StatusService';
import { AlertService, healthSignalChannel } from './AlertService';

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'data-platform', namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: [{ type: 'hasMember', targetRef: ALICE }],
};
const user = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {},
});

const pipeline = {
  entityRef: 'component:default/orders-to-delta',
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-to-delta', namespace: 'default' },
    spec: { owner: 'data-platform' },
  },
  summary: { name: 'orders-to-delta' },
} as unknown as PipelineEntity;

const state = (
  health: PipelineHealth,
  runbookSection?: string,
  reasons: string[] = [],
) =>
  ({
    status: { health, reasons, runbookSection },
  } as unknown as PipelineState);

/** The alert service in a test backend with the real notifications plugin. */
async function startAlerts() {
  let alerts: AlertService | undefined;
  const signals: Array<{ channel: string; message: unknown }> = [];
  const alertsUnderTest = createBackendPlugin({
    pluginId: 'alerts-under-test',
    register(env) {
      env.registerInit({
        deps: {
          database: coreServices.database,
          logger: coreServices.logger,
          notifications: notificationService,
          signals: signalsServiceRef,
        },
        async init(deps) {
          const store = await DatabaseProgressStore.create({
            database: deps.database,
          });
          alerts = new AlertService(
            store.client,
            deps.logger,
            deps.notifications,
            {
              publish: async message => {
                signals.push(message as (typeof signals)[number]);
                await deps.signals.publish(message);
              },
            },
          );
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      notificationsPlugin,
      alertsUnderTest,
      catalogServiceMock.factory({
        entities: [group, user('alice'), user('bob')],
      }),
      mockServices.rootConfig.factory({
        data: { app: { baseUrl: 'http://localhost:3000' } },
      }),
    ],
  });
  const inbox = async (who: string) =>
    (
      await request(backend.server)
        .get('/api/notifications/notifications')
        .set('Authorization', mockCredentials.user.header(who))
    ).body as {
      totalCount: number;
      notifications: Array<{
        payload: { title: string; link?: string; severity: string };
      }>;
    };
  return { alerts: alerts!, signals, inbox, stop: () => backend.stop() };
}

describe('AlertService with the real notifications backend', () => {
  it('notifies the owner once per transition, with the runbook link, and signals each one', async () => {
    const { alerts, signals, inbox, stop } = await startAlerts();
    try {
      // New and healthy: no news.
      await alerts.record([{ pipeline, state: state('ok') }]);
      expect((await inbox(ALICE)).totalCount).toBe(0);

      await alerts.record([
        {
          pipeline,
          state: state('critical', 'lag', [
            'lag in messages 20000 above the threshold 10000',
          ]),
        },
      ]);
      // The same health again is no new transition.
      await alerts.record([{ pipeline, state: state('critical', 'lag') }]);
      await alerts.record([{ pipeline, state: state('ok') }]);

      const alice = await inbox(ALICE);
      expect(alice.totalCount).toBe(2);
      expect(
        alice.notifications
          .map(n => n.payload)
          .sort((a, b) => a.title.localeCompare(b.title)),
      ).toEqual([
        expect.objectContaining({
          title: 'orders-to-delta: critical → ok',
          link: '/catalog/default/component/orders-to-delta',
          severity: 'low',
        }),
        expect.objectContaining({
          title: 'orders-to-delta: ok → critical',
          link: '/docs/default/component/orders-to-delta/runbook/#lag',
          severity: 'critical',
        }),
      ]);
      // Only the owner's members hear about it.
      expect((await inbox(BOB)).totalCount).toBe(0);
      // Every transition is signalled to open pages, with no figures in it.
      expect(signals).toEqual(
        [1, 2, 3].map(() => ({
          recipients: { type: 'broadcast' },
          channel: healthSignalChannel('component:default/orders-to-delta'),
          message: { changed: true },
        })),
      );
    } finally {
      await stop();
    }
  });
  it("keeps each later environment's health apart and names the environment", async () => {
    const { alerts, inbox, stop } = await startAlerts();
    const dev = {
      ...pipeline,
      summary: { name: 'orders-to-delta', environment: 'dev' },
    } as unknown as PipelineEntity;
    const prod = {
      ...pipeline,
      summary: { name: 'orders-to-delta', environment: 'prod' },
    } as unknown as PipelineEntity;
    try {
      await alerts.record([
        { pipeline: dev, state: state('ok') },
        { pipeline: prod, state: state('ok'), environment: 'prod' },
      ]);
      // prod fails while dev keeps running: one transition, prod's.
      const failed = await alerts.record([
        { pipeline: dev, state: state('ok') },
        {
          pipeline: prod,
          state: state('critical', 'failed', ['the application FAILED']),
          environment: 'prod',
        },
      ]);
      expect(failed).toEqual([
        {
          entityRef: 'component:default/orders-to-delta',
          environment: 'prod',
          from: 'ok',
          to: 'critical',
          reasons: ['the application FAILED'],
        },
      ]);
      // dev's own transition is the pipeline's, whatever prod's health.
      const devFailed = await alerts.record([
        { pipeline: dev, state: state('critical', 'lag') },
        { pipeline: prod, state: state('critical'), environment: 'prod' },
      ]);
      expect(devFailed.map(t => [t.environment, t.from, t.to])).toEqual([
        [undefined, 'ok', 'critical'],
      ]);
      expect(
        (await inbox(ALICE)).notifications.map(n => n.payload.title).sort(),
      ).toEqual([
        'orders-to-delta in dev: ok → critical',
        'orders-to-delta in prod: ok → critical',
      ]);
    } finally {
      await stop();
    }
  });
});
