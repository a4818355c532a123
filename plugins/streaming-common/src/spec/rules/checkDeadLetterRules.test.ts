import { checkDeadLetterRules } from './checkDeadLetterRules';
import { checkTopicRules } from './checkTopicRules';
import { ruleFindings } from './__testUtils__/ruleFindings';

describe('checkDeadLetterRules', () => {
  it('accepts a dead-letter topic or table apart from source, sink and checkpoint', () => {
    for (const deadLetter of [
      { type: 'kafka', topic: 'user-events.dead-letter' },
      { type: 'delta', path: '/data/delta/user_events_quarantine' },
    ]) {
      const result = ruleFindings(checkDeadLetterRules, p => {
        p.dead_letter = deadLetter;
      });
      expect(result).toEqual({ errors: [], warnings: [] });
    }
  });

  it('refuses the source topic, the sink topic and the progress topic', () => {
    expect(
      ruleFindings(checkDeadLetterRules, p => {
        p.dead_letter = { type: 'kafka', topic: p.source.topic };
      }).errors,
    ).toEqual([
      'pipeline.dead_letter.topic: the dead-letter topic is the source topic: bad records would be read again',
    ]);
    expect(
      ruleFindings(checkDeadLetterRules, p => {
        p.transformations = [];
        p.sink = { type: 'kafka', topic: 'clean', checkpoint: '/c/x' };
        p.dead_letter = { type: 'kafka', topic: 'clean' };
      }).errors,
    ).toEqual([
      "pipeline.dead_letter.topic: the dead-letter topic is the sink topic: bad records would mix with the pipeline's output",
    ]);
    expect(
      ruleFindings(checkDeadLetterRules, p => {
        p.dead_letter = { type: 'kafka', topic: 'streaming.progress' };
      }).errors,
    ).toEqual([
      'pipeline.dead_letter.topic: "streaming.progress" is the platform\'s progress topic: no pipeline writes it',
    ]);
  });

  it('accepts a topic named like the sink topic on another cluster', () => {
    const result = ruleFindings(checkDeadLetterRules, p => {
      p.transformations = [];
      p.sink = {
        type: 'kafka',
        cluster: 'other',
        topic: 'clean',
        checkpoint: '/c/x',
      };
      p.dead_letter = { type: 'kafka', topic: 'clean' };
    });
    expect(result.errors).toEqual([]);
  });

  it('refuses a table that is the sink table, inside it, or around the checkpoint', () => {
    expect(
      ruleFindings(checkDeadLetterRules, p => {
        p.dead_letter = { type: 'delta', path: `${p.sink.path}/bad` };
      }).errors,
    ).toEqual([
      'pipeline.dead_letter.path: the dead-letter table must be neither the sink table nor inside it (or around it)',
    ]);
    expect(
      ruleFindings(checkDeadLetterRules, p => {
        p.dead_letter = { type: 'delta', path: p.sink.checkpoint };
      }).errors,
    ).toEqual([
      'pipeline.dead_letter.path: the dead-letter table and the checkpoint must not contain each other',
    ]);
  });

  it('refuses a dead-letter target for a Delta source', () => {
    const result = ruleFindings(checkDeadLetterRules, p => {
      p.source = { type: 'delta', path: '/data/delta/bronze' };
      p.dead_letter = { type: 'kafka', topic: 'bad' };
    });
    expect(result.errors).toEqual([
      'pipeline.dead_letter: a Delta source has no records to parse: a dead-letter target needs a Kafka or Debezium source',
    ]);
  });

  it('checks the dead-letter topic name like every topic', () => {
    expect(
      ruleFindings(checkTopicRules, p => {
        p.dead_letter = { type: 'kafka', topic: 'user_events.bad' };
      }).warnings,
    ).toEqual([
      'pipeline.dead_letter.topic: topic names with both "." and "_" can collide in metric names; prefer one of them',
    ]);
  });
});
