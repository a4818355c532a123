import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** The reference pipeline of the platform, as users write it. */
const referenceSpecText = `pipeline:
  name: user-events-to-delta
  source:
    type: kafka
    topic: user-events
    format: json
    schema: schemas/user_event.avsc
  transformations:
    - type: filter
      condition: "event_type != 'heartbeat'"
    - type: watermark
      column: timestamp
      delay: "10 minutes"
    - type: aggregate
      window: "5 minutes"
      group_by: [event_type, country]
      metrics:
        - count: event_count
        - sum(amount): total_amount
        - approx_count_distinct(user_id): unique_users
  sink:
    type: delta
    path: /data/delta/user_events_agg
    mode: append
    checkpoint: /checkpoints/user_events
  monitoring:
    alert_on_lag: 60
    alert_channel: slack
`;

export const examples: TemplateExample[] = [
  {
    description: 'Validate a spec built from the form parameters',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'streaming:pipeline:validate',
          name: 'Validate the pipeline spec',
          input: {
            spec: {
              pipeline: {
                name: 'orders-to-delta',
                owner: 'group:default/team-commerce',
                source: {
                  type: 'kafka',
                  topic: 'orders',
                  format: 'json',
                  fields: [
                    { name: 'order_id', type: 'string' },
                    { name: 'status', type: 'string' },
                    { name: 'total', type: 'double' },
                  ],
                },
                transformations: [
                  { type: 'filter', condition: "status = 'paid'" },
                ],
                sink: {
                  type: 'delta',
                  path: '/data/delta/orders',
                  mode: 'append',
                  checkpoint: '/checkpoints/orders-to-delta',
                },
              },
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Validate the YAML text of a pipeline.yaml',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'streaming:pipeline:validate',
          name: 'Validate the pipeline spec',
          input: { specText: referenceSpecText },
        },
      ],
    }),
  },
];
