import { checkResourceRules } from './checkResourceRules';
import { ruleFindings } from './__testUtils__/ruleFindings';

describe('checkResourceRules', () => {
  it('refuses executor bounds around instances the wrong way', () => {
    const result = ruleFindings(checkResourceRules, p => {
      p.resources = {
        executor: {
          cores: 1,
          memory: '2g',
          instances: 3,
          min_instances: 4,
          max_instances: 2,
        },
      };
    });
    expect(result.errors).toEqual([
      'pipeline.resources.executor.max_instances: must be at least instances (3)',
      'pipeline.resources.executor.min_instances: must be at most instances (3)',
    ]);
  });
});

describe('checkResourceRules in environments', () => {
  it("refuses an environment's executor bounds, naming the environment", () => {
    const result = ruleFindings(checkResourceRules, p => {
      p.environments = [
        {
          name: 'dev',
          namespace: 'streaming-dev',
          table_prefix: 'dev_',
          resources: {
            executor: { instances: 1, max_instances: 1, min_instances: 2 },
          },
        },
        { name: 'prod', namespace: 'streaming' },
      ];
    });
    expect(result.errors).toEqual([
      'pipeline.environments[0].resources.executor.min_instances: must be at most instances (1)',
    ]);
  });
});
