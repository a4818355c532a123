import { DEFAULT_PROGRESS_TOPIC } from '../../progressTopic';
import { PipelineSpec } from '../pipelineSpecSchema';
import { within } from './checkLocationRules';
import { RuleReport } from './RuleReport';

/**
 * The dead-letter target: only for sources with records to parse, and never
 * the source, the sink, the checkpoint or the progress topic.
 */
export function checkDeadLetterRules(spec: PipelineSpec, report: RuleReport) {
  const { source, sink, dead_letter: deadLetter } = spec.pipeline;
  if (!deadLetter) {
    return;
  }
  if (source.type === 'delta') {
    report.error(
      'pipeline.dead_letter',
      'a Delta source has no records to parse: a dead-letter target needs a Kafka or Debezium source',
    );
    return;
  }
  if (deadLetter.type === 'kafka') {
    const path = 'pipeline.dead_letter.topic';
    if (deadLetter.topic === source.topic) {
      report.error(
        path,
        'the dead-letter topic is the source topic: bad records would be read again',
      );
    }
    if (
      sink.type === 'kafka' &&
      deadLetter.topic === sink.topic &&
      (sink.cluster ?? source.cluster) === source.cluster
    ) {
      report.error(
        path,
        "the dead-letter topic is the sink topic: bad records would mix with the pipeline's output",
      );
    }
    if (deadLetter.topic === DEFAULT_PROGRESS_TOPIC) {
      report.error(
        path,
        `"${DEFAULT_PROGRESS_TOPIC}" is the platform's progress topic: no pipeline writes it`,
      );
    }
    return;
  }
  const path = 'pipeline.dead_letter.path';
  if (
    sink.type === 'delta' &&
    (within(deadLetter.path, sink.path) || within(sink.path, deadLetter.path))
  ) {
    report.error(
      path,
      'the dead-letter table must be neither the sink table nor inside it (or around it)',
    );
  }
  if (
    within(deadLetter.path, sink.checkpoint) ||
    within(sink.checkpoint, deadLetter.path)
  ) {
    report.error(
      path,
      'the dead-letter table and the checkpoint must not contain each other',
    );
  }
}
