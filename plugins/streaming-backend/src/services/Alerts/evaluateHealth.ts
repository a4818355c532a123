import {
  PipelineHealth,
  PipelineSummary,
  SparkApplicationState,
} from '@internal/plugin-streaming-common';

/** The facts a pipeline's health is judged on. */
export interface HealthInput {
  thresholds: PipelineSummary['thresholds'];
  lagMessages: number | null;
  lagSeconds: number | null;
  lastBatchAgeSeconds?: number;
  /** `streaming.status.staleAfter`, in milliseconds. */
  staleAfterMs: number;
  applicationState?: SparkApplicationState;
  applicationError?: string;
}

/** A health with its reasons, worst first, and the runbook section that fits. */
export interface HealthVerdict {
  health: PipelineHealth;
  reasons: string[];
  runbookSection?: 'failed' | 'stale' | 'lag';
}

const failedStates: SparkApplicationState[] = [
  'FAILED',
  'SUBMISSION_FAILED',
  'FAILING',
];

/**
 * ok / warning / critical / stale / unknown from the spec's thresholds:
 * critical above a threshold or when the application failed, warning above
 * half of one, stale without a batch for `staleAfterMs`, unknown
 * without any data.
 */
export function evaluateHealth(input: HealthInput): HealthVerdict {
  const { thresholds } = input;
  if (input.applicationState && failedStates.includes(input.applicationState)) {
    return {
      health: 'critical',
      reasons: [
        `SparkApplication is ${input.applicationState}${
          input.applicationError ? `: ${input.applicationError}` : ''
        }`,
      ],
      runbookSection: 'failed',
    };
  }
  const critical: string[] = [];
  const warning: string[] = [];
  const check = (
    value: number | null,
    limit: number | undefined,
    what: string,
  ) => {
    if (value === null || limit === undefined) return;
    if (value > limit) {
      critical.push(
        `${what} ${Math.round(value)} above the threshold ${limit}`,
      );
    } else if (value > limit / 2) {
      warning.push(
        `${what} ${Math.round(value)} above half the threshold ${limit}`,
      );
    }
  };
  check(input.lagMessages, thresholds.lagMessages, 'lag in messages');
  check(input.lagSeconds, thresholds.lagSeconds, 'lag in seconds');
  if (critical.length > 0) {
    return {
      health: 'critical',
      reasons: [...critical, ...warning],
      runbookSection: 'lag',
    };
  }
  if (input.lastBatchAgeSeconds === undefined) {
    if (input.lagMessages === null && !input.applicationState) {
      return {
        health: 'unknown',
        reasons: ['no micro-batch and no lag data yet'],
      };
    }
  } else if (input.lastBatchAgeSeconds * 1000 > input.staleAfterMs) {
    return {
      health: 'stale',
      reasons: [
        `no micro-batch for ${Math.round(
          input.lastBatchAgeSeconds,
        )} s (stale after ${input.staleAfterMs / 1000} s)`,
        ...warning,
      ],
      runbookSection: 'stale',
    };
  }
  if (warning.length > 0) {
    return { health: 'warning', reasons: warning, runbookSection: 'lag' };
  }
  return { health: 'ok', reasons: [] };
}
