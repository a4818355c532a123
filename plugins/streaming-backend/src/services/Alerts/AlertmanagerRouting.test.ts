import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  Delivery,
  LoopbackProviders,
} from '../../__testUtils__/loopbackProviders';
import {
  installPrometheus,
  TestAlertmanager,
} from '../../__testUtils__/testPrometheus';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import express from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createAlertRelayRouter } from '../../alertRelayRouter';
import { AlertmanagerRouting } from './AlertmanagerRouting';
import { TeamsRelay } from './TeamsRelay';

jest.setTimeout(180_000);

function pipeline(name: string, owner: string, channel?: string) {
  return {
    entityRef: `component:default/${name}`,
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default' },
      spec: { type: 'streaming-pipeline', owner },
    },
    summary: { name, thresholds: { lagMessages: 10, channel } },
  } as unknown as PipelineEntity;
}

const pipelines = [
  pipeline('orders', 'group:default/data-platform', 'slack'),
  pipeline('clicks', 'team-growth', 'slack'),
  pipeline('payments', 'group:default/payments', 'pagerduty'),
  pipeline('audit', 'group:default/data-platform', 'email'),
  pipeline('logs', 'group:default/data-platform', 'opsgenie'),
  pipeline('quiet', 'group:default/data-platform', 'none'),
];

const runbook = (name: string) =>
  `https://backstage.example.com/docs/default/component/${name}/runbook/#lag`;

const routingConfig = (secrets: string, extra: object = {}) => ({
  streaming: {
    alerting: {
      receivers: [
        {
          name: 'platform-slack',
          slack: {
            apiUrlFile: path.join(secrets, 'slack-url'),
            channel: '#data-alerts',
          },
        },
        {
          name: 'growth-slack',
          slack: {
            apiUrlFile: path.join(secrets, 'slack-url'),
            channel: '#growth',
          },
        },
        {
          name: 'oncall-pagerduty',
          pagerduty: {
            routingKeyFile: path.join(secrets, 'pagerduty-key'),
            url: 'http://127.0.0.1:1/pagerduty',
          },
        },
        {
          name: 'platform-email',
          email: {
            to: 'data-platform@example.com',
            from: 'alertmanager@example.com',
            smarthost: '127.0.0.1:25',
            requireTls: false,
          },
        },
        {
          name: 'platform-opsgenie',
          opsgenie: {
            apiKeyFile: path.join(secrets, 'opsgenie-key'),
            apiUrl: 'http://127.0.0.1:1/opsgenie/',
          },
        },
      ],
      defaultReceiver: 'platform-email',
      channels: {
        slack: 'platform-slack',
        pagerduty: 'oncall-pagerduty',
        email: 'platform-email',
        opsgenie: 'platform-opsgenie',
      },
      owners: { 'group:team-growth': { slack: 'growth-slack' } },
      ...extra,
    },
  },
});

describe('AlertmanagerRouting', () => {
  it('maps owner and alert_channel to the configured receivers', () => {
    const routing = AlertmanagerRouting.fromConfig(
      new ConfigReader(routingConfig('/run/secrets')),
      mockServices.logger.mock(),
    );
    expect(pipelines.map(p => routing.receiverFor(p))).toEqual([
      'platform-slack',
      'growth-slack',
      'oncall-pagerduty',
      'platform-email',
      'platform-opsgenie',
      'none',
    ]);
    expect(
      routing.receiverFor(pipeline('plain', 'group:default/x', undefined)),
    ).toBe('platform-email');
    const rendered = routing.render(pipelines) as any;
    // Secrets by reference only.
    expect(JSON.stringify(rendered)).not.toMatch(/hooks\.slack|GenieKey/);
    expect(rendered.receivers[1].slack_configs[0].api_url_file).toBe(
      '/run/secrets/slack-url',
    );
    expect(rendered.route.routes[0]).toEqual({
      matchers: ['pipeline="audit"'],
      receiver: 'platform-email',
    });
  });

  it('refuses receivers that are not configured, naming the key', () => {
    expect(() =>
      AlertmanagerRouting.fromConfig(
        new ConfigReader(routingConfig('/s', { channels: { slack: 'typo' } })),
        mockServices.logger.mock(),
      ),
    ).toThrow(
      'streaming.alerting.channels.slack: no receiver named typo; configured: none, platform-slack',
    );
    expect(() =>
      AlertmanagerRouting.fromConfig(
        new ConfigReader({
          streaming: {
            alerting: {
              receivers: [
                {
                  name: 'both',
                  slack: { apiUrlFile: '/a' },
                  opsgenie: { apiKeyFile: '/b' },
                },
              ],
            },
          },
        }),
        mockServices.logger.mock(),
      ),
    ).toThrow(
      'expected exactly one of slack, pagerduty, email, opsgenie, msteams',
    );
    expect(() =>
      AlertmanagerRouting.fromConfig(
        new ConfigReader({
          streaming: {
            alerting: {
              receivers: [{ name: 'teams', msteams: { webhookUrlFile: '/a' } }],
            },
          },
        }),
        mockServices.logger.mock(),
      ),
    ).toThrow(
      'streaming.alerting.receivers[0].msteams: a Teams receiver needs streaming.alerting.teamsRelay',
    );
  });

  describe('on a real Alertmanager with loopback providers', () => {
    let providers: LoopbackProviders;
    let alertmanager: TestAlertmanager;
    let secrets: string;

    beforeAll(async () => {
      await installPrometheus();
      providers = await new LoopbackProviders().start();
      secrets = await mkdtemp(path.join(os.tmpdir(), 'alert-secrets-'));
      await writeFile(
        path.join(secrets, 'slack-url'),
        `${providers.httpUrl}/slack/services/T000/B000/XXXXXXXX`,
      );
      await writeFile(
        path.join(secrets, 'pagerduty-key'),
        '0123456789abcdef0123456789abcdef',
      );
      await writeFile(path.join(secrets, 'opsgenie-key'), 'opsgenie-api-key');
      alertmanager = await TestAlertmanager.start({
        route: { receiver: 'none' },
        receivers: [{ name: 'none' }],
      });
    });

    afterAll(async () => {
      await alertmanager?.stop();
      await providers?.stop();
      if (secrets) await rm(secrets, { recursive: true, force: true });
    });

    async function deliveries(
      accept: (all: Delivery[]) => boolean,
    ): Promise<Delivery[]> {
      const deadline = Date.now() + 60_000;
      while (!accept(providers.deliveries) && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 200));
      }
      return providers.deliveries;
    }

    it('delivers each pipeline alert to its provider in the provider shape, firing and resolved', async () => {
      const base = routingConfig(secrets, {
        alertmanager: {
          configFile: path.join(alertmanager.dir, 'alertmanager.yml'),
          reloadUrl: `${alertmanager.url}/-/reload`,
          groupWait: '1s',
          groupInterval: '1s',
        },
      }) as any;
      const receivers = base.streaming.alerting.receivers;
      receivers[2].pagerduty.url = `${providers.httpUrl}/pagerduty/v2/enqueue`;
      receivers[3].email.smarthost = `127.0.0.1:${providers.smtpPort}`;
      receivers[4].opsgenie.apiUrl = `${providers.httpUrl}/opsgenie/`;
      const routing = AlertmanagerRouting.fromConfig(
        new ConfigReader(base),
        mockServices.logger.mock(),
      );
      await routing.write(pipelines);
      const written = await readFile(
        path.join(alertmanager.dir, 'alertmanager.yml'),
        'utf8',
      );
      expect(written).toContain('- pipeline="payments"');
      expect(written).not.toContain('0123456789abcdef');
      // Alertmanager runs the generated configuration.
      const status = await (
        await fetch(`${alertmanager.url}/api/v2/status`)
      ).json();
      expect(status.config.original).toContain('oncall-pagerduty');

      const alerts = (endsAt?: string) =>
        pipelines.map(p => ({
          labels: {
            alertname: 'LagMessages',
            pipeline: p.summary.name,
            severity: 'critical',
            channel: p.summary.thresholds.channel!,
          },
          annotations: {
            summary: `Consumer lag of ${p.summary.name} above 10 messages`,
            description: `The pipeline has been more than 10 messages behind its source.`,
            runbook_url: runbook(p.summary.name),
          },
          startsAt: new Date(Date.now() - 60_000).toISOString(),
          ...(endsAt ? { endsAt } : {}),
        }));
      const post = async (body: unknown) => {
        const res = await fetch(`${alertmanager.url}/api/v2/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(200);
      };
      await post(alerts());
      const fired = await deliveries(all => all.length >= 5);
      expect(fired.map(d => d.provider).sort()).toEqual([
        'email',
        'opsgenie',
        'pagerduty',
        'slack',
        'slack',
      ]);

      // Slack incoming webhook: JSON with text or attachments, to the hook's path.
      const slack = fired.filter(d => d.provider === 'slack');
      expect(slack.map(d => d.body.channel).sort()).toEqual([
        '#data-alerts',
        '#growth',
      ]);
      for (const d of slack) {
        expect(d.path).toBe('/slack/services/T000/B000/XXXXXXXX');
        expect(d.headers['content-type']).toMatch(/^application\/json/);
        const [attachment] = d.body.attachments;
        expect(attachment.title).toBe('[FIRING] LagMessages (critical)');
        expect(attachment.color).toBe('danger');
        expect(attachment.title_link).toMatch(/\/runbook\/#lag$/);
        expect(attachment.text).toContain(`Runbook: ${attachment.title_link}`);
      }

      // PagerDuty Events API v2.
      const pd = fired.find(d => d.provider === 'pagerduty')!;
      expect(pd.path).toBe('/pagerduty/v2/enqueue');
      expect(pd.body).toMatchObject({
        routing_key: '0123456789abcdef0123456789abcdef',
        event_action: 'trigger',
        dedup_key: expect.any(String),
        payload: {
          summary: 'Consumer lag of payments above 10 messages',
          source: expect.any(String),
          severity: 'critical',
        },
        links: [{ href: runbook('payments'), text: 'Runbook' }],
      });
      expect(pd.body.payload.summary.length).toBeLessThanOrEqual(1024);

      // Opsgenie Alert API: create, authorised with the GenieKey.
      const og = fired.find(d => d.provider === 'opsgenie')!;
      expect(og.path).toBe('/opsgenie/v2/alerts');
      expect(og.headers.authorization).toBe('GenieKey opsgenie-api-key');
      expect(og.body).toMatchObject({
        message: 'Consumer lag of logs above 10 messages',
        alias: expect.any(String),
        priority: 'P1',
        details: { runbook_url: runbook('logs') },
      });
      expect(og.body.message.length).toBeLessThanOrEqual(130);

      // E-mail over SMTP.
      const mail = fired.find(d => d.provider === 'email')!;
      expect(mail.body.from).toBe('alertmanager@example.com');
      expect(mail.body.to).toEqual(['data-platform@example.com']);
      const message = (mail.body.message as string)
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, h) =>
          String.fromCharCode(parseInt(h, 16)),
        );
      expect(message).toContain(
        'Subject: [FIRING] Consumer lag of audit above 10 messages',
      );
      expect(message).toContain(runbook('audit'));

      // Resolved: every provider hears it once more.
      const before = providers.deliveries.length;
      await post(alerts(new Date().toISOString()));
      const all = await deliveries(d => d.length >= before + 5);
      const resolved = all.slice(before);
      expect(resolved.map(d => d.provider).sort()).toEqual([
        'email',
        'opsgenie',
        'pagerduty',
        'slack',
        'slack',
      ]);
      expect(
        resolved
          .filter(d => d.provider === 'slack')
          .map(d => [d.body.attachments[0].title, d.body.attachments[0].color]),
      ).toEqual([
        ['[RESOLVED] LagMessages (critical)', 'good'],
        ['[RESOLVED] LagMessages (critical)', 'good'],
      ]);
      expect(
        resolved.find(d => d.provider === 'pagerduty')!.body,
      ).toMatchObject({
        event_action: 'resolve',
        dedup_key: pd.body.dedup_key,
      });
      expect(resolved.find(d => d.provider === 'opsgenie')!.path).toBe(
        `/opsgenie/v2/alerts/${og.body.alias}/close?identifierType=alias`,
      );
      // The pipeline whose channel is none reached nobody.
      expect(all.some(d => JSON.stringify(d.body).includes('quiet'))).toBe(
        false,
      );
    });

    it('relays Teams receivers through the backend as an Adaptive Card message, firing and resolved', async () => {
      const teamsHook = `${providers.httpUrl}/teams/webhookb2/abc@def/IncomingWebhook/123/456`;
      await writeFile(path.join(secrets, 'teams-url'), teamsHook);
      await writeFile(
        path.join(secrets, 'relay-token'),
        'relay-secret-token\n',
      );
      // The relay as the backend mounts it, with the backend's error handler.
      const logger = mockServices.logger.mock();
      const app = express();
      const server = http.createServer(app);
      await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
      const relayUrl = `http://127.0.0.1:${
        (server.address() as AddressInfo).port
      }/api/streaming`;
      const config = new ConfigReader({
        streaming: {
          alerting: {
            alertmanager: {
              configFile: path.join(alertmanager.dir, 'alertmanager.yml'),
              reloadUrl: `${alertmanager.url}/-/reload`,
              groupWait: '1s',
              groupInterval: '1s',
            },
            teamsRelay: {
              url: relayUrl,
              tokenFile: path.join(secrets, 'relay-token'),
            },
            receivers: [
              {
                name: 'growth-teams',
                msteams: { webhookUrlFile: path.join(secrets, 'teams-url') },
              },
            ],
            channels: { msteams: 'growth-teams' },
          },
        },
      });
      const routing = AlertmanagerRouting.fromConfig(config, logger);
      app.use(
        '/api/streaming',
        createAlertRelayRouter(new TeamsRelay(routing.config, logger)),
      );
      app.use(
        MiddlewareFactory.create({
          config: new ConfigReader({}),
          logger: mockServices.logger.mock(),
        }).error(),
      );
      try {
        await routing.write([
          pipeline('clicks', 'group:default/team-growth', 'msteams'),
        ]);
        const written = await readFile(
          path.join(alertmanager.dir, 'alertmanager.yml'),
          'utf8',
        );
        // Secrets by reference only.
        expect(written).not.toContain('relay-secret-token');
        expect(written).not.toContain('webhookb2');
        expect(written).toContain(`${relayUrl}/alerts/teams/growth-teams`);

        // Without the token, or with another one, the relay sends nothing.
        const direct = (authorization?: string) =>
          fetch(`${relayUrl}/alerts/teams/growth-teams`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(authorization ? { authorization } : {}),
            },
            body: JSON.stringify({}),
          });
        expect((await direct()).status).toBe(401);
        expect((await direct('Bearer wrong')).status).toBe(401);
        expect((await direct('Bearer relay-secret-token')).status).toBe(400);

        const before = providers.deliveries.length;
        const alert = (endsAt?: string) => [
          {
            labels: {
              alertname: 'ClicksLagMessages',
              pipeline: 'clicks',
              severity: 'critical',
            },
            annotations: {
              summary: 'Consumer lag of clicks above 10 messages',
              description:
                'The pipeline has been more than 10 messages behind.',
              runbook_url: runbook('clicks'),
            },
            startsAt: new Date(Date.now() - 60_000).toISOString(),
            ...(endsAt ? { endsAt } : {}),
          },
        ];
        const post = async (body: unknown) =>
          expect(
            (
              await fetch(`${alertmanager.url}/api/v2/alerts`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(body),
              })
            ).status,
          ).toBe(200);
        await post(alert());
        const [fired] = (await deliveries(d => d.length >= before + 1)).slice(
          before,
        );
        // Teams incoming webhook: a message with one Adaptive Card attachment.
        expect(fired.provider).toBe('teams');
        expect(fired.path).toBe(
          '/teams/webhookb2/abc@def/IncomingWebhook/123/456',
        );
        expect(fired.headers['content-type']).toMatch(/^application\/json/);
        expect(fired.body.type).toBe('message');
        expect(fired.body.attachments).toHaveLength(1);
        const [attachment] = fired.body.attachments;
        expect(attachment.contentType).toBe(
          'application/vnd.microsoft.card.adaptive',
        );
        const card = attachment.content;
        expect(card).toMatchObject({
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          actions: [
            {
              type: 'Action.OpenUrl',
              title: 'Runbook',
              url: runbook('clicks'),
            },
          ],
        });
        expect(card.body[0]).toMatchObject({
          type: 'TextBlock',
          text: '[FIRING] ClicksLagMessages (critical)',
          color: 'Attention',
        });
        expect(JSON.stringify(card.body)).toContain(
          'Consumer lag of clicks above 10 messages',
        );

        await post(alert(new Date().toISOString()));
        const [resolved] = (
          await deliveries(d => d.length >= before + 2)
        ).slice(before + 1);
        expect(resolved.provider).toBe('teams');
        expect(resolved.body.attachments[0].content.body[0]).toMatchObject({
          text: '[RESOLVED] ClicksLagMessages (critical)',
          color: 'Good',
        });
        // Nothing secret reached the logs.
        const logged = JSON.stringify(
          [logger.info, logger.warn, logger.error, logger.debug].map(
            f => (f as jest.Mock).mock.calls,
          ),
        );
        expect(logged).not.toMatch(/relay-secret-token|webhookb2/);
      } finally {
        server.close();
      }
    });
  });
});
