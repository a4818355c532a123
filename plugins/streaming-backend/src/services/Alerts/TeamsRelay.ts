import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AlertingConfig } from './AlertmanagerRouting';
import { alertmanagerWebhookSchema, teamsMessage } from './teamsMessage';
import { formatZodIssues } from '@internal/plugin-streaming-common';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Relays Alertmanager's webhook notifications to Microsoft Teams incoming
 * webhooks (Debian's Alertmanager 0.25 has no Teams integration). Alertmanager
 * authenticates with the shared token of `streaming.alerting.teamsRelay`;
 * each Teams receiver's webhook URL is read from its file when a
 * notification is sent, and neither secret is ever logged or answered.
 */
export class TeamsRelay {
  constructor(
    private readonly config: AlertingConfig,
    private readonly logger: LoggerService,
  ) {}

  /** Converts and sends one notification to the receiver's Teams webhook. */
  async relay(
    receiver: string,
    authorization: string | undefined,
    payload: unknown,
  ): Promise<void> {
    const relay = this.config.teamsRelay;
    if (!relay) {
      throw new NotFoundError(
        'The Teams relay is off (streaming.alerting.teamsRelay)',
      );
    }
    const token = (await readFile(relay.tokenFile, 'utf8')).trim();
    const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
    if (!token || !timingSafeEqual(digest(given), digest(token))) {
      throw new AuthenticationError('Invalid relay token');
    }
    const target = this.config.receivers.find(
      r => r.name === receiver && r.msteams,
    );
    if (!target?.msteams) {
      throw new NotFoundError(`No Teams receiver named ${receiver}`);
    }
    const parsed = alertmanagerWebhookSchema.safeParse(payload);
    if (!parsed.success) {
      throw new InputError(
        `Invalid Alertmanager notification: ${formatZodIssues(
          parsed.error.issues.slice(0, 1),
        )}`,
      );
    }
    const webhook = (
      await readFile(target.msteams.webhookUrlFile, 'utf8')
    ).trim();
    if (!/^https?:\/\//.test(webhook)) {
      throw new ServiceUnavailableError(
        `The webhook file of Teams receiver ${receiver} holds no http(s) URL`,
      );
    }
    const res = await fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        teamsMessage(parsed.data, relay.maxAlertsPerMessage),
      ),
      signal: AbortSignal.timeout(relay.requestTimeoutMs),
    }).catch((error: Error) => {
      throw new ServiceUnavailableError(
        `Teams webhook of receiver ${receiver} did not answer (${error.name})`,
      );
    });
    if (!res.ok) {
      // A 5xx makes Alertmanager try again.
      throw new ServiceUnavailableError(
        `Teams webhook of receiver ${receiver} answered ${res.status}`,
      );
    }
    this.logger.debug('Relayed an alert notification to Teams', {
      receiver,
      status: parsed.data.status,
      alerts: parsed.data.alerts.length,
    });
  }
}
