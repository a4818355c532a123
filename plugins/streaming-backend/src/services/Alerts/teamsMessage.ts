import { z } from 'zod';

/** Alertmanager's webhook payload (version 4), the parts the message uses. */
export const alertmanagerWebhookSchema = z.object({
  version: z.literal('4'),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  commonLabels: z.record(z.string(), z.string()).default({}),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels: z.record(z.string(), z.string()).default({}),
        annotations: z.record(z.string(), z.string()).default({}),
        startsAt: z.string().optional(),
        endsAt: z.string().optional(),
      }),
    )
    .min(1),
  truncatedAlerts: z.number().int().nonnegative().default(0),
});

/** An Alertmanager webhook notification. */
export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>;

/** A link only when it is http(s): an annotation never becomes another scheme. */
function httpLink(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:'
      ? url.toString()
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Microsoft Teams incoming-webhook message of an Alertmanager
 * notification: a `message` with one Adaptive Card attachment, as Teams
 * documents for incoming webhooks and Workflows. The card states the status
 * and severity, each alert's summary and description (at most `maxAlerts`,
 * then how many more), and an action that opens the first runbook.
 */
export function teamsMessage(
  notification: AlertmanagerWebhook,
  maxAlerts: number,
): Record<string, unknown> {
  const firing = notification.status === 'firing';
  const { alertname = 'Alert', severity, pipeline } = notification.commonLabels;
  const shown = notification.alerts.slice(0, maxAlerts);
  const more =
    notification.alerts.length - shown.length + notification.truncatedAlerts;
  const runbook = notification.alerts
    .map(a => httpLink(a.annotations.runbook_url))
    .find(Boolean);
  const body: Array<Record<string, unknown>> = [
    {
      type: 'TextBlock',
      size: 'Large',
      weight: 'Bolder',
      wrap: true,
      color: firing ? 'Attention' : 'Good',
      text: `[${firing ? 'FIRING' : 'RESOLVED'}] ${alertname}${
        severity ? ` (${severity})` : ''
      }`,
    },
    ...(pipeline
      ? [
          {
            type: 'FactSet',
            facts: [{ title: 'Pipeline', value: pipeline }],
          },
        ]
      : []),
    ...shown.map(a => ({
      type: 'TextBlock',
      wrap: true,
      separator: true,
      text: [a.annotations.summary, a.annotations.description]
        .filter(Boolean)
        .join('\n\n'),
    })),
    ...(more > 0
      ? [
          {
            type: 'TextBlock',
            isSubtle: true,
            wrap: true,
            text: `and ${more} more`,
          },
        ]
      : []),
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(runbook
            ? {
                actions: [
                  { type: 'Action.OpenUrl', title: 'Runbook', url: runbook },
                ],
              }
            : {}),
        },
      },
    ],
  };
}
