import { LoggerService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/**
 * A number-of-units config key that a duration key replaced.
 *
 * @public
 */
export interface ReplacedDurationKey {
  /** The old key, in full: `streaming.lag.pollIntervalSeconds`. */
  key: string;
  /** What one of its numbers meant. */
  unit: 'milliseconds' | 'seconds' | 'minutes' | 'days';
}

/**
 * Options of {@link readOptionalDuration}.
 *
 * @public
 */
export interface ReadOptionalDurationOptions {
  /** The duration when neither the key nor the key it replaced is set. */
  defaultValue: HumanDuration;
  /** Accept a zero duration (a cache turned off). Default: false. */
  allowZero?: boolean;
  /**
   * The older number-of-units key: still read when set, with a deprecation
   * warning naming the new key; setting both is an error.
   */
  replaces?: ReplacedDurationKey;
  /** Where the deprecation warning goes. */
  logger: LoggerService;
}

/**
 * Reads an optional duration from app-config, in milliseconds: a
 * `HumanDuration` object (`{ seconds: 30 }`), a string such as `'30s'` or
 * `'5 minutes'`, or an ISO 8601 duration (`'PT30S'`), through Backstage's
 * `readDurationFromConfig`. A value that is none of these, negative, or zero
 * without `allowZero` throws an error naming the key.
 *
 * @public
 */
export function readOptionalDuration(
  config: Config,
  key: string,
  options: ReadOptionalDurationOptions,
): number {
  const { replaces, logger } = options;
  let milliseconds: number;
  let readKey = key;
  if (replaces && config.has(replaces.key)) {
    if (config.has(key)) {
      throw new InputError(
        `Invalid configuration: ${replaces.key} and ${key} are both set; remove ${replaces.key}, which ${key} replaced`,
      );
    }
    readKey = replaces.key;
    const value = config.getNumber(replaces.key);
    logger.warn(
      `The ${replaces.key} configuration key is deprecated and will be removed; use ${key} instead, a duration such as { ${replaces.unit}: ${value} }`,
    );
    milliseconds = durationToMilliseconds({ [replaces.unit]: value });
  } else if (config.has(key)) {
    milliseconds = durationToMilliseconds(
      readDurationFromConfig(config, { key }),
    );
  } else {
    milliseconds = durationToMilliseconds(options.defaultValue);
  }
  if (
    !Number.isFinite(milliseconds) ||
    milliseconds < 0 ||
    (milliseconds === 0 && !options.allowZero)
  ) {
    throw new InputError(
      `Invalid configuration: ${readKey} must be a duration ${
        options.allowZero ? 'of zero or more' : 'greater than zero'
      }`,
    );
  }
  return milliseconds;
}
