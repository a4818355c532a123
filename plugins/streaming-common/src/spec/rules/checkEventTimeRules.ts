import { outputMode } from '../outputMode';
import { parseDuration } from '../parseDuration';
import { PipelineSpec, PipelineTransformation } from '../pipelineSpecSchema';
import { RuleReport } from './RuleReport';

/**
 * Event time: one watermark and one aggregate at most, windows and slides,
 * the watermark an aggregate needs in append mode, steps that must come
 * before the aggregate, and deduplication within the watermark.
 */
export function checkEventTimeRules(spec: PipelineSpec, report: RuleReport) {
  const { transformations } = spec.pipeline;
  const steps = (type: PipelineTransformation['type']) =>
    transformations
      .map((t, i) => ({ t, i }))
      .filter(({ t }) => t.type === type);
  const watermarks = steps('watermark');
  const aggregates = steps('aggregate');
  watermarks
    .slice(1)
    .forEach(({ i }) =>
      report.error(
        `pipeline.transformations[${i}]`,
        'only one watermark step is allowed',
      ),
    );
  aggregates
    .slice(1)
    .forEach(({ i }) =>
      report.error(
        `pipeline.transformations[${i}]`,
        'only one aggregate step is allowed in a streaming query',
      ),
    );
  const watermark = watermarks[0];
  const mode = outputMode(spec);

  for (const { t, i } of aggregates.slice(0, 1)) {
    if (t.type !== 'aggregate') {
      continue;
    }
    const path = `pipeline.transformations[${i}]`;
    const wm =
      watermark && watermark.i < i && watermark.t.type === 'watermark'
        ? watermark.t
        : undefined;
    const timeColumn = t.time_column ?? wm?.column;
    if (t.slide && !t.window) {
      report.error(`${path}.slide`, 'a slide needs a window');
    }
    if (t.window && t.slide) {
      const w = parseDuration(t.window)!.ms;
      const s = parseDuration(t.slide)!.ms;
      if (s > w) {
        report.error(
          `${path}.slide`,
          `the slide (${t.slide}) must not exceed the window (${t.window})`,
        );
      }
    }
    if (t.window && !timeColumn) {
      report.error(
        `${path}.window`,
        'a window needs an event-time column: add a watermark step before the aggregate or set time_column',
      );
    }
    if (mode === 'append') {
      if (!wm) {
        report.error(
          path,
          `an aggregate in append mode needs a watermark on its event-time column: add a "watermark" step before it${
            watermark ? ' (the watermark step comes after the aggregate)' : ''
          }`,
        );
      } else if (!t.window) {
        report.error(
          `${path}.window`,
          `an aggregate in append mode must group by event time: set a window over "${wm.column}"`,
        );
      } else if (timeColumn !== wm.column) {
        report.error(
          `${path}.time_column`,
          `the window is over "${timeColumn}" but the watermark is on "${wm.column}"; in append mode they must be the same column`,
        );
      }
    } else if (!wm) {
      report.warning(
        path,
        `without a watermark the aggregate keeps state for every group forever (${mode} mode); add a watermark step`,
      );
    }
    transformations.slice(i + 1).forEach((later, j) => {
      if (['deduplicate', 'join', 'watermark'].includes(later.type)) {
        report.error(
          `pipeline.transformations[${i + 1 + j}]`,
          `a ${later.type} step must come before the aggregate`,
        );
      }
    });
  }

  for (const { t, i } of steps('deduplicate')) {
    if (
      t.type === 'deduplicate' &&
      t.within_watermark &&
      !(watermark && watermark.i < i)
    ) {
      report.error(
        `pipeline.transformations[${i}].within_watermark`,
        'deduplicating within the watermark needs a watermark step before it',
      );
    } else if (t.type === 'deduplicate' && !(watermark && watermark.i < i)) {
      report.warning(
        `pipeline.transformations[${i}]`,
        'without a watermark, deduplication keeps every key in state forever',
      );
    }
  }
}
