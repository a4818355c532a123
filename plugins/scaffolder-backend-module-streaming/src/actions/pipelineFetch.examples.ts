import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Fetch a pipeline's repository and render it again with the current generator",
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'streaming:pipeline:fetch',
          name: 'Fetch the pipeline repository',
          input: { entityRef: 'component:default/orders-to-delta' },
        },
        {
          id: 'render',
          action: 'streaming:pipeline:render',
          name: 'Render it again',
          input: {
            specText: '${{ steps.fetch.output.specText }}',
            optionsFromRepository: true,
          },
        },
      ],
    }),
  },
  {
    description:
      'Change the spec: a new alert threshold, which the checkpoint survives',
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'streaming:pipeline:fetch',
          name: 'Fetch and check the new spec',
          input: {
            entityRef: 'component:default/orders-to-delta',
            specText: [
              'pipeline:',
              '  name: orders-to-delta',
              '  owner: user:default/alice',
              '  source:',
              '    type: kafka',
              '    topic: orders',
              '    format: json',
              '    fields:',
              '      - { name: order_id, type: string }',
              '      - { name: total, type: double }',
              '  sink:',
              '    type: delta',
              '    path: /data/delta/order_facts',
              '    mode: append',
              '    checkpoint: /checkpoints/orders-to-delta',
              '  monitoring:',
              '    alert_on_lag: 30',
              '',
            ].join('\n'),
          },
        },
      ],
    }),
  },
];
