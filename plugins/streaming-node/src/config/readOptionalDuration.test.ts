import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { readOptionalDuration } from './readOptionalDuration';

function recordingLogger() {
  const warnings: string[] = [];
  const logger: LoggerService = {
    error: () => {},
    info: () => {},
    debug: () => {},
    warn: message => {
      warnings.push(message);
    },
    child: () => logger,
  };
  return { logger, warnings };
}

const read = (
  lag: object,
  options: { allowZero?: boolean; replaces?: boolean } = {},
) => {
  const { logger, warnings } = recordingLogger();
  const value = readOptionalDuration(
    new ConfigReader({ streaming: { lag } }),
    'streaming.lag.pollInterval',
    {
      defaultValue: { seconds: 30 },
      allowZero: options.allowZero,
      replaces: options.replaces
        ? { key: 'streaming.lag.pollIntervalSeconds', unit: 'seconds' }
        : undefined,
      logger,
    },
  );
  return { value, warnings };
};

describe('readOptionalDuration', () => {
  it('reads the object form', () => {
    expect(read({ pollInterval: { minutes: 2, seconds: 5 } }).value).toBe(
      125_000,
    );
  });

  it('reads the string form', () => {
    expect(read({ pollInterval: '45s' }).value).toBe(45_000);
    expect(read({ pollInterval: '2 minutes' }).value).toBe(120_000);
  });

  it('reads an ISO 8601 duration', () => {
    expect(read({ pollInterval: 'PT1M30S' }).value).toBe(90_000);
  });

  it('gives the default when the key is not set', () => {
    expect(read({})).toEqual({ value: 30_000, warnings: [] });
  });

  it('refuses a bad value, naming the key', () => {
    for (const pollInterval of [
      'soon',
      30,
      { secs: 30 },
      { seconds: 'many' },
      '-5s',
    ]) {
      expect(() => read({ pollInterval })).toThrow(
        'streaming.lag.pollInterval',
      );
    }
  });

  it('refuses a negative duration and zero unless allowed, naming the key', () => {
    expect(() => read({ pollInterval: { seconds: -1 } })).toThrow(
      'Invalid configuration: streaming.lag.pollInterval must be a duration greater than zero',
    );
    expect(() => read({ pollInterval: '0s' })).toThrow(
      'Invalid configuration: streaming.lag.pollInterval must be a duration greater than zero',
    );
    expect(read({ pollInterval: '0s' }, { allowZero: true }).value).toBe(0);
    expect(() =>
      read({ pollInterval: { seconds: -1 } }, { allowZero: true }),
    ).toThrow(
      'Invalid configuration: streaming.lag.pollInterval must be a duration of zero or more',
    );
  });

  it('still reads the replaced number-of-units key, with one warning naming the new key', () => {
    expect(read({ pollIntervalSeconds: 12 }, { replaces: true })).toEqual({
      value: 12_000,
      warnings: [
        'The streaming.lag.pollIntervalSeconds configuration key is deprecated and will be removed; use streaming.lag.pollInterval instead, a duration such as { seconds: 12 }',
      ],
    });
    // A number from the environment arrives as a string.
    expect(read({ pollIntervalSeconds: '3' }, { replaces: true }).value).toBe(
      3_000,
    );
  });

  it('refuses the replaced key when it is not a number, or set alongside the new one', () => {
    expect(() =>
      read({ pollIntervalSeconds: 'soon' }, { replaces: true }),
    ).toThrow('streaming.lag.pollIntervalSeconds');
    expect(() => read({ pollIntervalSeconds: 0 }, { replaces: true })).toThrow(
      'Invalid configuration: streaming.lag.pollIntervalSeconds must be a duration greater than zero',
    );
    expect(() =>
      read(
        { pollIntervalSeconds: 12, pollInterval: '12s' },
        { replaces: true },
      ),
    ).toThrow(
      'Invalid configuration: streaming.lag.pollIntervalSeconds and streaming.lag.pollInterval are both set; remove streaming.lag.pollIntervalSeconds, which streaming.lag.pollInterval replaced',
    );
  });
});
