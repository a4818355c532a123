import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Render the repository of a spec built from the form',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'streaming:pipeline:render',
          name: 'Generate the pipeline',
          input: {
            spec: {
              pipeline: {
                name: 'orders-to-delta',
                owner: 'group:default/team-commerce',
                source: {
                  type: 'kafka',
                  cluster: 'local',
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
    description:
      'Render a pipeline.yaml given as text into a folder, for a given namespace and image',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'streaming:pipeline:render',
          name: 'Generate the pipeline',
          input: {
            targetPath: 'pipeline',
            namespace: 'data-pipelines',
            image: 'registry.example.com/data/app-logs:1.0.0',
            specText: [
              '# Warnings and errors of all services, to Elasticsearch.',
              'pipeline:',
              '  name: app-logs-to-es',
              '  source:',
              '    type: kafka',
              '    topic: app-logs',
              '    format: json',
              '    fields:',
              '      - { name: level, type: string }',
              '      - { name: message, type: string }',
              '      - { name: ts, type: timestamp }',
              '  transformations:',
              '    - type: filter',
              "      condition: \"level IN ('WARN', 'ERROR')\"",
              '  sink:',
              '    type: elasticsearch',
              '    index: app-logs-errors',
              '    nodes: http://localhost:9200',
              '    checkpoint: /checkpoints/app-logs-to-es',
              '',
            ].join('\n'),
          },
        },
      ],
    }),
  },
  {
    description:
      'Render a pipeline that runs in two environments: deploy/dev/ and deploy/prod/, and the first one to apply',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'streaming:pipeline:render',
          name: 'Generate the pipeline',
          input: {
            spec: {
              pipeline: {
                name: 'orders-to-delta',
                owner: 'group:default/team-commerce',
                source: {
                  type: 'kafka',
                  topic: 'orders',
                  fields: [{ name: 'order_id', type: 'string' }],
                },
                sink: {
                  type: 'delta',
                  path: '/data/delta/orders',
                  checkpoint: '/checkpoints/orders-to-delta',
                },
                environments: [
                  {
                    name: 'dev',
                    namespace: 'streaming-dev',
                    topic_prefix: 'dev.',
                    table_prefix: 'dev_',
                  },
                  { name: 'prod', namespace: 'streaming' },
                ],
              },
            },
          },
        },
      ],
    }),
  },
];
