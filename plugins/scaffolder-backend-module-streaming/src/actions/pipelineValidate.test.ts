import { parse } from 'yaml';
import { invokeAction } from '../__testUtils__/invokeAction';
import { runExample } from '../__testUtils__/runExample';
import { createPipelineValidateAction } from './pipelineValidate';
import { examples } from './pipelineValidate.examples';

describe('streaming:pipeline:validate', () => {
  const action = createPipelineValidateAction({ kafkaClusters: ['local'] });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const [outputs] = await runExample(action, example);
      expect(outputs).toEqual({
        valid: true,
        name: expect.stringMatching(/-to-delta$/),
        errors: [],
        warnings: expect.any(Array),
      });
    },
  );

  it('fails the step naming each error with its path and position', async () => {
    const specText = [
      'pipeline:',
      '  name: Orders_Pipeline',
      '  source: { type: kafka, topic: orders, format: json }',
      '  transformations:',
      '    - type: fliter',
      '      condition: "1 = 1"',
      '  sink: { type: delta, path: /data/x, checkpoint: /checkpoints/x }',
    ].join('\n');
    const promise = invokeAction(action, { specText });
    await expect(promise).rejects.toThrow('The pipeline spec is invalid:');
    await expect(promise).rejects.toThrow(
      /line 2, column 9: pipeline\.name: expected a Kubernetes name/,
    );
    await expect(promise).rejects.toThrow(
      /pipeline\.transformations\[0\]\.type: .*did you mean "filter"\?/,
    );
  });

  it.each([
    ['code in a filter', "__import__('os').system('id')"],
    ['a SQL injection', 'x = 1; DROP TABLE users'],
    ['an unterminated string', "status = 'paid"],
  ])('rejects %s in a condition', async (_label, condition) => {
    await expect(
      invokeAction(action, {
        spec: {
          pipeline: {
            name: 'hostile',
            source: {
              type: 'kafka',
              topic: 'orders',
              format: 'json',
              fields: [{ name: 'x', type: 'long' }],
            },
            transformations: [{ type: 'filter', condition }],
            sink: {
              type: 'delta',
              path: '/data/delta/x',
              checkpoint: '/checkpoints/x',
            },
          },
        },
      }),
    ).rejects.toThrow(/pipeline\.transformations\[0\]\.condition: /);
  });

  it('rejects YAML-breaking text with the position', async () => {
    await expect(
      invokeAction(action, {
        specText: 'pipeline:\n  name: "a\n  source: [',
      }),
    ).rejects.toThrow(/line \d+, column \d+: \(document\): invalid YAML/);
  });

  it('fails when the spec names a Kafka cluster app-config does not have', async () => {
    const [example] = examples;
    const { spec } = parse(example.example).steps[0].input;
    spec.pipeline.source.cluster = 'prod-eu';
    await expect(invokeAction(action, { spec })).rejects.toThrow(
      'pipeline.source.cluster: no Kafka cluster named "prod-eu" in app-config; configured: local',
    );
  });

  it('needs exactly one of spec and specText', async () => {
    await expect(invokeAction(action, {})).rejects.toThrow(
      'Give the pipeline spec as either spec or specText',
    );
    await expect(
      invokeAction(action, { spec: {}, specText: 'pipeline: {}' }),
    ).rejects.toThrow('Give the pipeline spec as either spec or specText');
  });
});
