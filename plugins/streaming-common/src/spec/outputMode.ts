import { PipelineSpec } from './pipelineSpecSchema';

/**
 * The output mode the sink writes with: `append`, `complete` or `update`
 * (merge sinks with an aggregate).
 *
 * @public
 */
export function outputMode(
  spec: PipelineSpec,
): 'append' | 'complete' | 'update' {
  const { sink, transformations } = spec.pipeline;
  if (sink.type === 'delta' && sink.mode === 'complete') {
    return 'complete';
  }
  if (
    sink.type === 'delta' &&
    sink.mode === 'merge' &&
    transformations.some(t => t.type === 'aggregate')
  ) {
    return 'update';
  }
  return 'append';
}
