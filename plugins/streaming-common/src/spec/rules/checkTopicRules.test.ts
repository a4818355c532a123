import { checkTopicRules } from './checkTopicRules';
import { ruleFindings } from './__testUtils__/ruleFindings';

describe('checkTopicRules', () => {
  it('refuses a sink topic equal to the source topic', () => {
    const result = ruleFindings(checkTopicRules, p => {
      p.transformations = [];
      p.sink = { type: 'kafka', topic: p.source.topic, checkpoint: '/c/x' };
    });
    expect(result.errors).toContain(
      'pipeline.sink.topic: the sink topic is the source topic: the pipeline would read its own output',
    );
  });

  it('warns about a topic name with both "." and "_"', () => {
    const result = ruleFindings(checkTopicRules, p => {
      p.source.topic = 'db.user_events';
    });
    expect(result).toEqual({
      errors: [],
      warnings: [
        'pipeline.source.topic: topic names with both "." and "_" can collide in metric names; prefer one of them',
      ],
    });
  });
});
