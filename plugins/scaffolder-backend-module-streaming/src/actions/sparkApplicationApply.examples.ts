import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Apply the generated deploy/ folder (SparkApplication, maintenance ScheduledSparkApplication, PrometheusRule) when the form names a Kubernetes cluster, owned by the entity the template registered',
    example: yaml.stringify({
      steps: [
        {
          id: 'apply',
          action: 'streaming:sparkApplication:apply',
          name: 'Deploy to Kubernetes',
          if: '${{ parameters.kubernetesCluster }}',
          input: {
            cluster: '${{ parameters.kubernetesCluster }}',
            manifestPath: 'deploy',
            entityRef: '${{ steps.register.output.entityRef }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Apply one file into a given namespace (one of the allowed namespaces of the cluster)',
    example: yaml.stringify({
      steps: [
        {
          id: 'apply',
          action: 'streaming:sparkApplication:apply',
          name: 'Deploy to Kubernetes',
          input: {
            cluster: 'staging',
            manifestPath: 'deploy/sparkapplication.yaml',
            namespace: 'data-pipelines',
          },
        },
      ],
    }),
  },
];
