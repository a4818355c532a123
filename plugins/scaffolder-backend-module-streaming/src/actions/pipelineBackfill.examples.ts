import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Reprocess partitions 0 and 1 of the source topic from offset 1000 up to (not including) 5000 into the same sink, as SparkApplication <pipeline>-backfill-orders-fix',
    example: yaml.stringify({
      steps: [
        {
          id: 'backfill',
          action: 'streaming:pipeline:backfill',
          name: 'Backfill the pipeline',
          input: {
            entityRef: 'component:default/orders-to-delta',
            backfillId: 'orders-fix',
            from: '{"0": 1000, "1": 1000}',
            to: '{"0": 5000, "1": 5000}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Reprocess every record written from a time on, up to the end of each partition when the backfill starts',
    example: yaml.stringify({
      steps: [
        {
          id: 'backfill',
          action: 'streaming:pipeline:backfill',
          name: 'Backfill the pipeline',
          input: {
            entityRef: 'component:default/orders-to-delta',
            backfillId: 'since-outage',
            from: '2026-11-29T22:00:00Z',
          },
        },
      ],
    }),
  },
];
