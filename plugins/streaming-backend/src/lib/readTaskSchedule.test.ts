import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readTaskSchedule, scheduleIntervalMs } from './readTaskSchedule';

const fallback = { frequency: { seconds: 60 }, timeout: { minutes: 5 } };

describe('readTaskSchedule', () => {
  it('takes the schedule of app-config, else the one of the older key', () => {
    const config = new ConfigReader({
      streaming: {
        alerts: {
          schedule: {
            frequency: { minutes: 2 },
            timeout: 'PT3M',
            initialDelay: { seconds: 10 },
          },
        },
        retention: {
          schedule: {
            frequency: { cron: '*/15 * * * *' },
            timeout: { minutes: 10 },
          },
        },
      },
    });
    const alerts = readTaskSchedule(
      config,
      'streaming.alerts.schedule',
      fallback,
    );
    expect(alerts).toMatchObject({
      frequency: { minutes: 2 },
      initialDelay: { seconds: 10 },
    });
    expect(scheduleIntervalMs(alerts)).toBe(120_000);
    const retention = readTaskSchedule(
      config,
      'streaming.retention.schedule',
      fallback,
    );
    expect(retention.frequency).toEqual({ cron: '*/15 * * * *' });
    expect(scheduleIntervalMs(retention)).toBeUndefined();
    expect(
      readTaskSchedule(
        new ConfigReader({}),
        'streaming.alerts.schedule',
        fallback,
      ),
    ).toBe(fallback);
    expect(scheduleIntervalMs(fallback)).toBe(60_000);
  });

  it('names the key of a schedule it cannot read', () => {
    const config = new ConfigReader({
      streaming: { alerts: { schedule: { frequency: { minutes: 2 } } } },
    });
    expect(() =>
      readTaskSchedule(config, 'streaming.alerts.schedule', fallback),
    ).toThrow(/^Invalid streaming\.alerts\.schedule config: .*timeout/);
  });

  it('still takes the frequency from the number-of-units key the schedule replaced, warning once', () => {
    const logger = mockServices.logger.mock();
    const replaced = {
      key: {
        key: 'streaming.retention.cleanupIntervalMinutes',
        unit: 'minutes' as const,
      },
      logger,
    };
    const retention = readTaskSchedule(
      new ConfigReader({
        streaming: { retention: { cleanupIntervalMinutes: 30 } },
      }),
      'streaming.retention.schedule',
      fallback,
      replaced,
    );
    expect(retention).toEqual({
      frequency: { milliseconds: 1_800_000 },
      timeout: { minutes: 5 },
    });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'The streaming.retention.cleanupIntervalMinutes configuration key is deprecated and will be removed; use streaming.retention.schedule.frequency instead, a duration such as { minutes: 30 }',
    );
    expect(
      readTaskSchedule(
        new ConfigReader({}),
        'streaming.retention.schedule',
        fallback,
        replaced,
      ),
    ).toBe(fallback);
    expect(() =>
      readTaskSchedule(
        new ConfigReader({
          streaming: {
            retention: {
              cleanupIntervalMinutes: 30,
              schedule: { frequency: { minutes: 5 }, timeout: '5m' },
            },
          },
        }),
        'streaming.retention.schedule',
        fallback,
        replaced,
      ),
    ).toThrow(
      'streaming.retention.cleanupIntervalMinutes and streaming.retention.schedule.frequency are both set',
    );
  });
});
