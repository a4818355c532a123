import { PipelineSpec } from '../pipelineSpecSchema';
import { RuleReport } from './RuleReport';

/**
 * Topics: the sink never writes the topic the pipeline reads, and names
 * mixing "." and "_" (which collide in metric names) are warned about.
 */
export function checkTopicRules(spec: PipelineSpec, report: RuleReport) {
  const { source, sink, dead_letter: deadLetter } = spec.pipeline;
  if (
    sink.type === 'kafka' &&
    source.type !== 'delta' &&
    sink.topic === source.topic &&
    (sink.cluster ?? source.cluster) === source.cluster
  ) {
    report.error(
      'pipeline.sink.topic',
      'the sink topic is the source topic: the pipeline would read its own output',
    );
  }
  for (const [path, name] of [
    [
      'pipeline.source.topic',
      source.type !== 'delta' ? source.topic : undefined,
    ],
    ['pipeline.sink.topic', sink.type === 'kafka' ? sink.topic : undefined],
    [
      'pipeline.dead_letter.topic',
      deadLetter?.type === 'kafka' ? deadLetter.topic : undefined,
    ],
  ] as const) {
    if (name && name.includes('.') && name.includes('_')) {
      report.warning(
        path,
        'topic names with both "." and "_" can collide in metric names; prefer one of them',
      );
    }
  }
}
