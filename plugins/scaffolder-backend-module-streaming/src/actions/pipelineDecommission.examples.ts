import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Decommission a pipeline, keeping its Kafka topics and checkpoint: deletes its SparkApplication, maintenance ScheduledSparkApplication and PrometheusRule on the cluster of its annotation and unregisters it',
    example: yaml.stringify({
      steps: [
        {
          id: 'decommission',
          action: 'streaming:pipeline:decommission',
          name: 'Decommission the pipeline',
          input: {
            entityRef: 'component:default/orders-to-delta',
            confirmation: 'orders-to-delta',
          },
        },
      ],
    }),
  },
  {
    description:
      'Decommission a pipeline on a named cluster and also delete the Kafka topics it writes (refused when another pipeline reads one) and its checkpoint',
    example: yaml.stringify({
      steps: [
        {
          id: 'decommission',
          action: 'streaming:pipeline:decommission',
          name: 'Decommission the pipeline',
          input: {
            entityRef: 'component:default/orders-enriched',
            confirmation: 'orders-enriched',
            cluster: 'staging',
            deleteTopics: true,
            deleteCheckpoint: true,
          },
        },
      ],
    }),
  },
];
