import { PipelineSpec, storageLocation } from '../pipelineSpecSchema';
import { RuleReport } from './RuleReport';

/** Whether a storage location is the other one or inside it. */
export const within = (inner: string, outer: string) => {
  const a = storageLocation(inner);
  const b = storageLocation(outer);
  return (
    a.root === b.root && b.folders.every((folder, i) => a.folders[i] === folder)
  );
};

/**
 * Checkpoints and table locations: a checkpoint is never inside a table,
 * and a sink never writes into its source table.
 */
export function checkLocationRules(spec: PipelineSpec, report: RuleReport) {
  const { source, sink } = spec.pipeline;
  if (sink.type === 'delta') {
    if (within(sink.checkpoint, sink.path)) {
      report.error(
        'pipeline.sink.checkpoint',
        'the checkpoint must not be inside the Delta table location',
      );
    }
    if (source.type === 'delta' && within(sink.path, source.path)) {
      report.error(
        'pipeline.sink.path',
        'the sink must not write into the source table',
      );
    }
  }
  if (source.type === 'delta' && within(sink.checkpoint, source.path)) {
    report.error(
      'pipeline.sink.checkpoint',
      'the checkpoint must not be inside the source table',
    );
  }
}
