import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Commit the re-rendered workspace as a branch of the pipeline’s local repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'streaming:branch:commit',
          name: 'Commit to a branch',
          input: {
            repoName: 'orders-to-delta',
            branchName: 'update/orders-to-delta',
            gitCommitMessage: 'Render orders-to-delta with generator 0.1.0',
          },
        },
      ],
    }),
  },
];
