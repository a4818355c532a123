import { StopWaiting, waitFor } from './waitFor';

describe('waitFor', () => {
  it('polls until the probe has a value, counting a failure as not yet', async () => {
    let calls = 0;
    const value = await waitFor(
      'the third call',
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('not ready');
        return calls === 3 ? 'ready' : undefined;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('polls until `until` accepts the value', async () => {
    let n = 0;
    await expect(
      waitFor('n to reach 3', async () => ++n, {
        until: v => v >= 3,
        intervalMs: 1,
      }),
    ).resolves.toBe(3);
  });

  it('names what it waited for and the last error or value on timeout', async () => {
    await expect(
      waitFor(
        'a broker',
        async () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 20, intervalMs: 5 },
      ),
    ).rejects.toThrow(
      'timed out after 20 ms waiting for a broker: connection refused',
    );
    await expect(
      waitFor('lag 0', async () => ({ lag: 7 }), {
        until: v => v.lag === 0,
        timeoutMs: 20,
        intervalMs: 5,
      }),
    ).rejects.toThrow('waiting for lag 0: {"lag":7}');
    await expect(
      waitFor('a record', async () => undefined, {
        timeoutMs: 20,
        intervalMs: 5,
        state: () => '0 of 3 records',
      }),
    ).rejects.toThrow('waiting for a record: 0 of 3 records');
  });

  it('gives up at once when a probe says what it waits for cannot happen', async () => {
    let calls = 0;
    await expect(
      waitFor(
        'the job to catch up',
        async () => {
          calls += 1;
          if (calls === 2) throw new StopWaiting('the job exited (code 1)');
          return undefined;
        },
        { timeoutMs: 60_000, intervalMs: 1 },
      ),
    ).rejects.toThrow(
      'gave up waiting for the job to catch up: the job exited (code 1)',
    );
    // The wait ended at the probe that gave up (its timeout is a minute).
    expect(calls).toBe(2);
  });
});
