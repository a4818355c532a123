import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  readOptionalDuration,
  ReplacedDurationKey,
} from '@internal/plugin-streaming-node';

/**
 * The schedule of a periodic task: the Backstage task schedule at `key` in
 * app-config when there is one (`frequency` and `timeout` as a HumanDuration
 * object, an ISO 8601 duration or, for the frequency, `{ cron }`; optional
 * `initialDelay`), else `fallback`. `replaced` is an older number-of-units
 * key that the schedule's frequency replaced: when set, it is still the
 * fallback's frequency, with a deprecation warning naming `<key>.frequency`
 * (and an error when the schedule has a frequency too).
 */
export function readTaskSchedule(
  config: Config,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
  replaced?: { key: ReplacedDurationKey; logger: LoggerService },
): SchedulerServiceTaskScheduleDefinition {
  if (replaced && config.has(replaced.key.key)) {
    const frequency = readOptionalDuration(config, `${key}.frequency`, {
      defaultValue: {},
      replaces: replaced.key,
      logger: replaced.logger,
    });
    return { ...fallback, frequency: { milliseconds: frequency } };
  }
  if (!config.has(key)) {
    return fallback;
  }
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(
      config.getConfig(key),
    );
  } catch (error) {
    throw new Error(`Invalid ${key} config: ${(error as Error).message}`);
  }
}

/**
 * The interval of a schedule whose frequency is a HumanDuration object;
 * undefined for a cron expression, an ISO 8601 text or a manual trigger.
 */
export function scheduleIntervalMs(
  schedule: SchedulerServiceTaskScheduleDefinition,
): number | undefined {
  const { frequency } = schedule;
  if (
    typeof frequency !== 'object' ||
    'cron' in frequency ||
    'trigger' in frequency
  ) {
    return undefined;
  }
  return durationToMilliseconds(frequency as HumanDuration);
}
