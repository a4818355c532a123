import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Promote the version running in the first environment (for example dev) to the next one (prod): its SparkApplication must be RUNNING with an image, and the environment healthy',
    example: yaml.stringify({
      steps: [
        {
          id: 'promote',
          action: 'streaming:pipeline:promote',
          name: 'Promote the pipeline',
          input: {
            entityRef: 'component:default/orders-to-delta',
          },
        },
      ],
    }),
  },
  {
    description:
      'Show the checks and the plan of promoting staging to prod, applying nothing',
    example: yaml.stringify({
      steps: [
        {
          id: 'promote',
          action: 'streaming:pipeline:promote',
          name: 'Plan the promotion',
          input: {
            entityRef: 'component:default/orders-to-delta',
            from: 'staging',
            to: 'prod',
            dryRun: true,
          },
        },
      ],
    }),
  },
];
