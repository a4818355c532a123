import { TtlCache } from './TtlCache';

const counting = () => {
  let calls = 0;
  return {
    load: (value: string) => async () => {
      calls += 1;
      return value;
    },
    calls: () => calls,
  };
};

describe('TtlCache', () => {
  afterEach(() => jest.useRealTimers());

  it('loads again once the time to live has passed', async () => {
    // lru-cache takes its clock (performance) when loaded: load it again
    // under the fake timers, whose clock must not read 0 (lru-cache's "no
    // start time").
    jest.useFakeTimers();
    jest.advanceTimersByTime(1);
    let FakeClockCache!: typeof TtlCache;
    jest.isolateModules(() => {
      FakeClockCache = require('./TtlCache').TtlCache;
    });
    const cache = new FakeClockCache<string>(10_000);
    const loads = counting();
    await cache.get('k', loads.load('first'));
    jest.advanceTimersByTime(9_999);
    await expect(cache.get('k', loads.load('second'))).resolves.toBe('first');
    // Reused up to and including 10 s, not after.
    jest.advanceTimersByTime(2);
    await expect(cache.get('k', loads.load('second'))).resolves.toBe('second');
    expect(loads.calls()).toBe(2);
  });

  it('shares one load between concurrent requests and keeps no failure', async () => {
    const cache = new TtlCache<string>(10_000);
    let release!: (value: string) => void;
    let calls = 0;
    const slow = () => {
      calls += 1;
      return new Promise<string>(resolve => {
        release = resolve;
      });
    };
    const both = Promise.all([cache.get('k', slow), cache.get('k', slow)]);
    release('shared');
    await expect(both).resolves.toEqual(['shared', 'shared']);
    expect(calls).toBe(1);

    const failing = new TtlCache<string>(10_000);
    await expect(
      failing.get('k', async () => {
        throw new Error('catalog down');
      }),
    ).rejects.toThrow('catalog down');
    await expect(failing.get('k', async () => 'back')).resolves.toBe('back');
  });

  it('keeps nothing with a time to live of 0', async () => {
    const loads = counting();
    const off = new TtlCache<string>(0);
    await off.get('k', loads.load('a'));
    await off.get('k', loads.load('b'));
    expect(loads.calls()).toBe(2);
  });

  it('drops the least recently used answers beyond its size', async () => {
    const cache = new TtlCache<string>(10_000, 2);
    const loads = counting();
    await cache.get('a', loads.load('a'));
    await cache.get('b', loads.load('b'));
    await cache.get('a', loads.load('a2'));
    await cache.get('c', loads.load('c'));
    await expect(cache.get('a', loads.load('a3'))).resolves.toBe('a');
    await expect(cache.get('b', loads.load('b2'))).resolves.toBe('b2');
    expect(loads.calls()).toBe(4);
  });
});
