import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Create the source topic of a pipeline with explicit settings',
    example: yaml.stringify({
      steps: [
        {
          id: 'create-topics',
          action: 'kafka:topic:create',
          name: 'Create Kafka topics',
          input: {
            cluster: 'local',
            topics: [
              {
                name: 'team-growth.user-events',
                partitions: 3,
                replicationFactor: 1,
                configs: { 'retention.ms': 604800000 },
              },
            ],
          },
        },
      ],
    }),
  },
  {
    description:
      'Create a compacted topic with the broker default partition count',
    example: yaml.stringify({
      steps: [
        {
          id: 'create-topics',
          action: 'kafka:topic:create',
          name: 'Create Kafka topics',
          input: {
            cluster: 'local',
            topics: [
              {
                name: 'team-accounts.users.changelog',
                configs: {
                  'cleanup.policy': 'compact',
                  'min.compaction.lag.ms': '60000',
                },
              },
            ],
          },
        },
      ],
    }),
  },
];
