import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { readOptionalDuration } from '@internal/plugin-streaming-node';
import { BACKFILL_TIME_TO_LIVE_SECONDS } from '../actions/pipelineBackfill';

/**
 * `streaming.scaffolder.backfill.timeToLive`, in whole seconds: how long the
 * Spark Operator keeps a backfill's SparkApplication after it ended. A
 * duration (`{ days: 7 }`, `'12h'`, `'P7D'`); default 7 days.
 */
export function readBackfillTimeToLive(
  config: Config,
  logger: LoggerService,
): number {
  const milliseconds = readOptionalDuration(
    config,
    'streaming.scaffolder.backfill.timeToLive',
    { defaultValue: { seconds: BACKFILL_TIME_TO_LIVE_SECONDS }, logger },
  );
  return Math.ceil(milliseconds / 1000);
}
