/**
 * The sections of every generated runbook (`docs/runbook.md`), by anchor.
 * The anchors are stable: the pipeline page links to
 * `runbook/#<anchor>` for the section that matches the current alert
 * (the status response's `runbookSection`).
 *
 * @public
 */
export const RUNBOOK_SECTIONS = {
  lag: 'Consumer lag alert',
  failed: 'Application failed',
  stale: 'No micro-batches (stale)',
  restart: 'Restart',
  'checkpoint-recovery': 'Checkpoint recovery',
  reprocessing: 'Reprocessing from an offset',
  'schema-evolution': 'Schema evolution',
  'data-loss': 'Data lost to retention',
  'dead-letter': 'Records that do not parse (dead letters)',
} as const;

/**
 * An anchor of a runbook section.
 *
 * @public
 */
export type RunbookSection = keyof typeof RUNBOOK_SECTIONS;
