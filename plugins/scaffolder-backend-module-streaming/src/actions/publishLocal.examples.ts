import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the workspace to a local repository and register it in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'streaming:publish:local',
          name: 'Publish to a local repository',
          input: { repoName: 'user-events-to-delta' },
        },
        {
          id: 'register',
          action: 'catalog:register',
          name: 'Register in the catalog',
          input: {
            catalogInfoUrl: '${{ steps.publish.output.catalogInfoUrl }}',
          },
        },
      ],
    }),
  },
  {
    description: 'Publish one folder of the workspace with a commit message',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'streaming:publish:local',
          name: 'Publish to a local repository',
          input: {
            repoName: 'orders-to-delta',
            sourcePath: 'pipeline',
            gitCommitMessage:
              'Pipeline created from the Kafka to Delta template',
          },
        },
      ],
    }),
  },
];
