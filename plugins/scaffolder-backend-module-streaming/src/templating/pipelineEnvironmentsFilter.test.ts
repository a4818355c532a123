import { toPipelineEnvironments } from './pipelineEnvironmentsFilter';

describe('toPipelineEnvironments', () => {
  it("gives the form's items the spec's keys, leaving empty values out", () => {
    expect(
      toPipelineEnvironments([
        {
          name: 'dev',
          namespace: 'team-dev',
          kubernetesCluster: 'dev-cluster',
          kafkaCluster: 'dev-kafka',
          topicPrefix: 'dev.',
          tablePrefix: 'dev_',
        },
        { name: 'prod', namespace: 'team-prod', topicPrefix: '' },
      ]),
    ).toEqual([
      {
        name: 'dev',
        namespace: 'team-dev',
        kubernetes_cluster: 'dev-cluster',
        kafka_cluster: 'dev-kafka',
        topic_prefix: 'dev.',
        table_prefix: 'dev_',
      },
      { name: 'prod', namespace: 'team-prod' },
    ]);
  });

  it('is undefined for no list or an empty one, so the key is left out', () => {
    expect(toPipelineEnvironments(undefined)).toBeUndefined();
    expect(toPipelineEnvironments(null)).toBeUndefined();
    expect(toPipelineEnvironments([])).toBeUndefined();
  });

  it("passes what it does not know as it is, for the spec's validation to refuse", () => {
    expect(toPipelineEnvironments('dev')).toBe('dev');
    expect(
      toPipelineEnvironments(['dev', { name: 'prod', searchCluster: 'x' }]),
    ).toEqual(['dev', { name: 'prod', searchCluster: 'x' }]);
  });
});
