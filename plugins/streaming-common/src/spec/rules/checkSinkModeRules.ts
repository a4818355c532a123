import { PipelineSpec } from '../pipelineSpecSchema';
import { RuleReport } from './RuleReport';

/**
 * Sink modes: complete needs an aggregate, merge needs keys (a Debezium
 * source brings its own), and change events are applied only by a merge.
 */
export function checkSinkModeRules(spec: PipelineSpec, report: RuleReport) {
  const { source, sink, transformations } = spec.pipeline;
  if (
    sink.type === 'delta' &&
    sink.mode === 'complete' &&
    !transformations.some(t => t.type === 'aggregate')
  ) {
    report.error(
      'pipeline.sink.mode',
      'complete mode needs an aggregate step: it rewrites the whole result table each batch',
    );
  }
  if (
    sink.type === 'delta' &&
    sink.mode === 'merge' &&
    !sink.merge_keys &&
    source.type !== 'debezium'
  ) {
    report.error(
      'pipeline.sink.merge_keys',
      'required: merge mode needs the key columns to match rows on',
    );
  }
  if (sink.type === 'delta' && sink.mode !== 'merge' && sink.merge_keys) {
    report.warning(
      'pipeline.sink.merge_keys',
      'merge_keys are used only in merge mode',
    );
  }
  if (
    source.type === 'debezium' &&
    !(sink.type === 'delta' && sink.mode === 'merge')
  ) {
    report.warning(
      'pipeline.sink',
      'change events are written as rows; use a Delta sink in merge mode to apply them (updates and deletes)',
    );
  }
}
