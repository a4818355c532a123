import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { HumanDuration } from '@backstage/types';
import {
  readOptionalDuration,
  ReplacedDurationKey,
} from '@internal/plugin-streaming-node';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { formatZodIssues } from '@internal/plugin-streaming-common';

const file = z.string().min(1);
const httpUrl = z
  .string()
  .url()
  .refine(u => /^https?:\/\//.test(u), 'expected an http(s) URL');
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
  message: 'expected letters, digits, ".", "_" or "-"',
});

const receiverSchema = z
  .object({
    name,
    slack: z
      .strictObject({ apiUrlFile: file, channel: z.string().optional() })
      .optional(),
    pagerduty: z
      .strictObject({ routingKeyFile: file, url: httpUrl.optional() })
      .optional(),
    email: z
      .strictObject({
        to: z.string().min(1),
        from: z.string().min(1),
        smarthost: z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port'),
        authUsername: z.string().optional(),
        authPasswordFile: file.optional(),
        requireTls: z.boolean().default(true),
      })
      .optional(),
    opsgenie: z
      .strictObject({ apiKeyFile: file, apiUrl: httpUrl.optional() })
      .optional(),
    msteams: z.strictObject({ webhookUrlFile: file }).optional(),
  })
  .refine(
    r =>
      [r.slack, r.pagerduty, r.email, r.opsgenie, r.msteams].filter(Boolean)
        .length === 1,
    'expected exactly one of slack, pagerduty, email, opsgenie, msteams',
  );

const alertingSchema = z
  .object({
    alertmanager: z
      .object({
        configFile: file.optional(),
        reloadUrl: httpUrl.optional(),
      })
      .prefault({}),
    teamsRelay: z
      .strictObject({
        url: httpUrl,
        tokenFile: file,
        requestTimeoutMs: z.number().int().positive().default(10_000),
        maxAlertsPerMessage: z.number().int().positive().default(20),
      })
      .optional(),
    receivers: z.array(receiverSchema).default([]),
    defaultReceiver: name.optional(),
    channels: z.record(z.string(), name).default({}),
    owners: z.record(z.string(), z.record(z.string(), name)).default({}),
  })
  .superRefine((c, ctx) => {
    const known = new Set(['none', ...c.receivers.map(r => r.name)]);
    const check = (receiver: string | undefined, at: string[]) => {
      if (receiver !== undefined && !known.has(receiver)) {
        ctx.addIssue({
          code: 'custom',
          path: at,
          message: `no receiver named ${receiver}; configured: ${[
            ...known,
          ].join(', ')}`,
        });
      }
    };
    check(c.defaultReceiver, ['defaultReceiver']);
    c.receivers.forEach((r, i) => {
      if (r.msteams && !c.teamsRelay) {
        ctx.addIssue({
          code: 'custom',
          path: ['receivers', i, 'msteams'],
          message:
            'a Teams receiver needs streaming.alerting.teamsRelay (the URL and token Alertmanager reaches this backend with)',
        });
      }
    });
    for (const [channel, receiver] of Object.entries(c.channels)) {
      check(receiver, ['channels', channel]);
    }
    for (const [owner, channels] of Object.entries(c.owners)) {
      for (const [channel, receiver] of Object.entries(channels)) {
        check(receiver, ['owners', owner, channel]);
      }
    }
  });

/** The route timings of `streaming.alerting.alertmanager`, in milliseconds. */
function readRouteTimings(config: Config, logger: LoggerService) {
  const duration = (
    key: string,
    defaultValue: HumanDuration,
    replaces: ReplacedDurationKey,
    allowZero = false,
  ) =>
    readOptionalDuration(config, `streaming.alerting.alertmanager.${key}`, {
      defaultValue,
      allowZero,
      replaces: {
        ...replaces,
        key: `streaming.alerting.alertmanager.${replaces.key}`,
      },
      logger,
    });
  return {
    groupWaitMs: duration(
      'groupWait',
      { seconds: 30 },
      { key: 'groupWaitSeconds', unit: 'seconds' },
      true,
    ),
    groupIntervalMs: duration(
      'groupInterval',
      { minutes: 5 },
      { key: 'groupIntervalSeconds', unit: 'seconds' },
    ),
    repeatIntervalMs: duration(
      'repeatInterval',
      { hours: 4 },
      { key: 'repeatIntervalMinutes', unit: 'minutes' },
    ),
  };
}

/** `streaming.alerting` with every default applied. */
export type AlertingConfig = z.infer<typeof alertingSchema> & {
  alertmanager: ReturnType<typeof readRouteTimings>;
};

/** A duration in Alertmanager's (Prometheus') notation: `30s`, `1500ms`. */
function alertmanagerDuration(milliseconds: number): string {
  return milliseconds % 1000 === 0
    ? `${milliseconds / 1000}s`
    : `${milliseconds}ms`;
}

const runbook = '{{ (index .Alerts 0).Annotations.runbook_url }}';
const summary = '{{ (index .Alerts 0).Annotations.summary }}';
const description = [
  '{{ range .Alerts }}{{ .Annotations.description }}',
  '{{ if .Annotations.runbook_url }}Runbook: {{ .Annotations.runbook_url }}{{ end }}',
  '{{ end }}',
].join('\n');

/** One Alertmanager receiver from the configured one; secrets stay in their files. */
function alertmanagerReceiver(
  r: AlertingConfig['receivers'][number],
  relay: AlertingConfig['teamsRelay'],
) {
  const common = { send_resolved: true };
  if (r.msteams && relay) {
    // Alertmanager 0.25 has no Teams integration: its webhook goes to the
    // backend's relay, authenticated with the shared token's file.
    return {
      name: r.name,
      webhook_configs: [
        {
          ...common,
          url: `${relay.url.replace(/\/+$/, '')}/alerts/teams/${r.name}`,
          http_config: {
            authorization: {
              type: 'Bearer',
              credentials_file: relay.tokenFile,
            },
          },
        },
      ],
    };
  }
  if (r.slack) {
    return {
      name: r.name,
      slack_configs: [
        {
          ...common,
          api_url_file: r.slack.apiUrlFile,
          ...(r.slack.channel ? { channel: r.slack.channel } : {}),
          title:
            '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})',
          title_link: runbook,
          text: description,
        },
      ],
    };
  }
  if (r.pagerduty) {
    return {
      name: r.name,
      pagerduty_configs: [
        {
          ...common,
          routing_key_file: r.pagerduty.routingKeyFile,
          ...(r.pagerduty.url ? { url: r.pagerduty.url } : {}),
          description: summary,
          severity: '{{ .CommonLabels.severity }}',
          links: [{ href: runbook, text: 'Runbook' }],
        },
      ],
    };
  }
  if (r.email) {
    const e = r.email;
    return {
      name: r.name,
      email_configs: [
        {
          ...common,
          to: e.to,
          from: e.from,
          smarthost: e.smarthost,
          ...(e.authUsername ? { auth_username: e.authUsername } : {}),
          ...(e.authPasswordFile
            ? { auth_password_file: e.authPasswordFile }
            : {}),
          require_tls: e.requireTls,
          headers: {
            Subject: `[{{ .Status | toUpper }}] ${summary}`,
          },
        },
      ],
    };
  }
  const o = r.opsgenie!;
  return {
    name: r.name,
    opsgenie_configs: [
      {
        ...common,
        api_key_file: o.apiKeyFile,
        ...(o.apiUrl ? { api_url: o.apiUrl } : {}),
        message: summary,
        description,
        priority:
          '{{ if eq .CommonLabels.severity "critical" }}P1{{ else }}P3{{ end }}',
        details: { runbook_url: runbook },
      },
    ],
  };
}

const pipelineName = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The Alertmanager configuration of the platform's pipelines, regenerated
 * from the catalog: one route per pipeline (matcher on the alert's `pipeline`
 * label) to the receiver that `streaming.alerting` maps its owner and
 * `monitoring.alert_channel` to (owner first, then channel, then the default
 * receiver). Receivers reference their secrets by file only.
 */
export class AlertmanagerRouting {
  private lastWritten?: string;

  private constructor(
    readonly config: AlertingConfig,
    private readonly logger: LoggerService,
  ) {}

  static fromConfig(config: Config, logger: LoggerService) {
    const parsed = alertingSchema.safeParse(
      config.getOptional('streaming.alerting') ?? {},
    );
    if (!parsed.success) {
      throw new Error(
        `Invalid streaming.alerting config: ${formatZodIssues(
          parsed.error.issues,
          { root: 'streaming.alerting' },
        )}`,
      );
    }
    return new AlertmanagerRouting(
      {
        ...parsed.data,
        alertmanager: {
          ...parsed.data.alertmanager,
          ...readRouteTimings(config, logger),
        },
      },
      logger,
    );
  }

  /** The receiver a pipeline's alerts go to. */
  receiverFor(pipeline: PipelineEntity): string {
    const channel = pipeline.summary.thresholds.channel;
    const owner = pipeline.entity.spec?.owner;
    let ownerRef: string | undefined;
    if (typeof owner === 'string') {
      ownerRef = stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: pipeline.entity.metadata.namespace ?? 'default',
        }),
      );
    }
    const byOwner = Object.entries(this.config.owners).find(
      ([ref]) =>
        ownerRef !== undefined &&
        stringifyEntityRef(
          parseEntityRef(ref, {
            defaultKind: 'group',
            defaultNamespace: 'default',
          }),
        ) === ownerRef,
    )?.[1];
    if (channel === 'none') return 'none';
    return (
      (channel && byOwner?.[channel]) ??
      (channel && this.config.channels[channel]) ??
      this.config.defaultReceiver ??
      'none'
    );
  }

  /** The Alertmanager configuration for these pipelines. */
  render(pipelines: Iterable<PipelineEntity>): Record<string, unknown> {
    const { alertmanager } = this.config;
    const routes = [...pipelines]
      .filter(p => pipelineName.test(p.summary.name))
      .sort((a, b) => a.summary.name.localeCompare(b.summary.name))
      .map(p => ({
        matchers: [`pipeline=${JSON.stringify(p.summary.name)}`],
        receiver: this.receiverFor(p),
      }));
    return {
      route: {
        receiver: this.config.defaultReceiver ?? 'none',
        group_by: ['alertname', 'pipeline', 'severity'],
        group_wait: alertmanagerDuration(alertmanager.groupWaitMs),
        group_interval: alertmanagerDuration(alertmanager.groupIntervalMs),
        repeat_interval: alertmanagerDuration(alertmanager.repeatIntervalMs),
        routes,
      },
      // A warning is dropped while the same alert is critical.
      inhibit_rules: [
        {
          source_matchers: ['severity="critical"'],
          target_matchers: ['severity="warning"'],
          equal: ['alertname', 'pipeline'],
        },
      ],
      receivers: [
        { name: 'none' },
        ...this.config.receivers.map(r =>
          alertmanagerReceiver(r, this.config.teamsRelay),
        ),
      ],
    };
  }

  /**
   * Writes the configuration to `streaming.alerting.alertmanager.configFile`
   * when it changed (atomically), then asks Alertmanager to reload (again at
   * the next call when that failed).
   */
  async write(pipelines: Iterable<PipelineEntity>): Promise<void> {
    const target = this.config.alertmanager.configFile;
    if (!target) return;
    const text = `# Generated by the streaming backend from the catalog; do not edit.\n${stringify(
      this.render(pipelines),
    )}`;
    if (text === this.lastWritten) return;
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current !== text) {
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}.${process.pid}.tmp`;
      await writeFile(temp, text);
      await rename(temp, target);
      this.logger.info('Wrote the Alertmanager routing of the pipelines', {
        file: target,
      });
    }
    const reload = this.config.alertmanager.reloadUrl;
    if (reload) {
      const status = await fetch(reload, { method: 'POST' }).then(
        res => (res.ok ? undefined : String(res.status)),
        (error: Error) => error.message,
      );
      if (status !== undefined) {
        this.logger.warn('Alertmanager did not reload its configuration', {
          url: reload,
          status,
        });
        return;
      }
    }
    this.lastWritten = text;
  }
}
