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
  {
    description:
      "For a pipeline whose spec declares environments: reprocess partition 0 of prod's source topic (its prefix applied) from offset 0 into prod's sink, as SparkApplication <pipeline>-backfill-prod-fix in prod's namespace",
    example: yaml.stringify({
      steps: [
        {
          id: 'backfill',
          action: 'streaming:pipeline:backfill',
          name: 'Backfill the pipeline in prod',
          input: {
            entityRef: 'component:default/orders-envs',
            backfillId: 'prod-fix',
            from: '{"0": 0}',
            environment: 'prod',
          },
        },
      ],
    }),
  },
];
