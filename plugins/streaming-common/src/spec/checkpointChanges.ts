import { resolveEnvironment } from './environments';
import { outputMode } from './outputMode';
import {
  PipelineSink,
  PipelineSource,
  PipelineSpec,
} from './pipelineSpecSchema';

/**
 * A change between two specs of one pipeline that its checkpoint cannot
 * follow: a query restarted on the old checkpoint fails or reads wrongly.
 *
 * @public
 */
export interface CheckpointChange {
  /** What changed, as the runbook's checkpoint section names it. */
  what:
    | 'source'
    | 'grouping'
    | 'window'
    | 'metrics'
    | 'deduplication'
    | 'watermark'
    | 'output mode'
    | 'sink';
  /** The spec path of the value, e.g. `pipeline.transformations[2].group_by`. */
  path: string;
  /** The value before and after, as JSON text (`null` when absent). */
  before: string;
  after: string;
  /**
   * The environment whose checkpoint breaks, when only its overrides changed
   * (a topic or table prefix, a cluster); absent when every one's does.
   */
  environment?: string;
}

const json = (value: unknown) => JSON.stringify(value ?? null);

/** Where the source reads: what the checkpoint's offsets belong to. */
function sourceOf(source: PipelineSource) {
  return source.type === 'delta'
    ? { type: source.type, path: source.path }
    : { type: source.type, cluster: source.cluster, topic: source.topic };
}

/** Where the sink writes (its checkpoint records the batches it committed). */
function sinkOf(sink: PipelineSink) {
  switch (sink.type) {
    case 'delta':
      return { type: sink.type, path: sink.path };
    case 'elasticsearch':
      return { type: sink.type, index: sink.index };
    default:
      return { type: sink.type, cluster: sink.cluster, topic: sink.topic };
  }
}

type Step = PipelineSpec['pipeline']['transformations'][number];
type StatefulType = 'aggregate' | 'deduplicate' | 'watermark';

/** The steps of one type, in order, with their spec paths. */
function stepsOf<T extends StatefulType>(spec: PipelineSpec, type: T) {
  return spec.pipeline.transformations.flatMap((step, index) =>
    step.type === type
      ? [
          {
            step: step as Extract<Step, { type: T }>,
            path: `pipeline.transformations[${index}]`,
          },
        ]
      : [],
  );
}

/**
 * The changes from `before` (the deployed spec) to `after` that break the
 * checkpoint, the runbook's "must not change across a restart" list: the
 * source topic (and its cluster) or table, the grouping, window and metrics
 * of each aggregate, the columns of each deduplication, the watermark
 * column, the output mode and the sink. Steps of a type are compared in
 * order; one added or removed is a change of its kind. Empty when the new
 * spec can run on the old checkpoint.
 *
 * @public
 */
export function checkpointChanges(
  before: PipelineSpec,
  after: PipelineSpec,
): CheckpointChange[] {
  const changes: CheckpointChange[] = [];
  const compare = (
    what: CheckpointChange['what'],
    path: string,
    a: unknown,
    b: unknown,
    environment?: string,
  ) => {
    if (json(a) !== json(b)) {
      changes.push({
        what,
        path,
        before: json(a),
        after: json(b),
        ...(environment ? { environment } : {}),
      });
    }
  };
  compare(
    'source',
    'pipeline.source',
    sourceOf(before.pipeline.source),
    sourceOf(after.pipeline.source),
  );
  /** Pairs the steps of a type in order; one added or removed is a change. */
  const pairs = <T extends StatefulType>(
    type: T,
    what: CheckpointChange['what'],
    each: (
      a: Extract<Step, { type: T }>,
      b: Extract<Step, { type: T }>,
      path: string,
    ) => void,
  ) => {
    const old = stepsOf(before, type);
    const now = stepsOf(after, type);
    for (let i = 0; i < Math.max(old.length, now.length); i++) {
      const path = (now[i] ?? old[i]).path;
      if (old[i] && now[i]) {
        each(old[i].step, now[i].step, path);
      } else {
        compare(what, path, old[i]?.step, now[i]?.step);
      }
    }
  };
  pairs('watermark', 'watermark', (a, b, path) =>
    compare('watermark', `${path}.column`, a.column, b.column),
  );
  pairs('deduplicate', 'deduplication', (a, b, path) =>
    compare('deduplication', `${path}.columns`, a.columns, b.columns),
  );
  pairs('aggregate', 'grouping', (a, b, path) => {
    compare('grouping', `${path}.group_by`, a.group_by, b.group_by);
    compare(
      'window',
      `${path}.window`,
      { window: a.window, slide: a.slide, time_column: a.time_column },
      { window: b.window, slide: b.slide, time_column: b.time_column },
    );
    compare('metrics', `${path}.metrics`, a.metrics, b.metrics);
  });
  const modeOf = (spec: PipelineSpec) => ({
    outputMode: outputMode(spec),
    ...(spec.pipeline.sink.type === 'delta'
      ? { mode: spec.pipeline.sink.mode }
      : {}),
  });
  compare('output mode', 'pipeline.sink.mode', modeOf(before), modeOf(after));
  compare(
    'sink',
    'pipeline.sink',
    sinkOf(before.pipeline.sink),
    sinkOf(after.pipeline.sink),
  );
  // An environment kept by name whose own overrides moved its source or sink.
  const whole = changes.length;
  (after.pipeline.environments ?? []).forEach((env, index) => {
    if (!before.pipeline.environments?.some(old => old.name === env.name)) {
      return;
    }
    const a = resolveEnvironment(before, env.name).pipeline;
    const b = resolveEnvironment(after, env.name).pipeline;
    const path = `pipeline.environments[${index}]`;
    if (!changes.slice(0, whole).some(c => c.what === 'source')) {
      compare('source', path, sourceOf(a.source), sourceOf(b.source), env.name);
    }
    if (!changes.slice(0, whole).some(c => c.what === 'sink')) {
      compare('sink', path, sinkOf(a.sink), sinkOf(b.sink), env.name);
    }
  });
  return changes;
}
