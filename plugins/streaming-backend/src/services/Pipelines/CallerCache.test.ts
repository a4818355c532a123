import { mockCredentials } from '@backstage/backend-test-utils';
import { CallerCache, callerKey } from './CallerCache';

const alice = mockCredentials.user('user:default/alice');
const bob = mockCredentials.user('user:default/bob');

describe('callerKey', () => {
  it('names users by entity and services by subject, anonymous callers not at all', () => {
    expect(callerKey(alice)).toBe('user:user:default/alice');
    expect(callerKey(mockCredentials.service('plugin:catalog'))).toBe(
      'service:plugin:catalog',
    );
    expect(callerKey(mockCredentials.none())).toBeUndefined();
  });
});

describe('CallerCache', () => {
  afterEach(() => jest.useRealTimers());

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

  it('keeps one answer per caller and key, never handing one caller the answer of another', async () => {
    const cache = new CallerCache<string>(10_000);
    const loads = counting();
    await expect(cache.get(alice, 'k', loads.load('alice'))).resolves.toBe(
      'alice',
    );
    await expect(cache.get(bob, 'k', loads.load('bob'))).resolves.toBe('bob');
    await expect(cache.get(alice, 'k', loads.load('again'))).resolves.toBe(
      'alice',
    );
    await expect(cache.get(alice, 'other', loads.load('other'))).resolves.toBe(
      'other',
    );
    expect(loads.calls()).toBe(3);
  });

  it('loads again once the time to live has passed', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const cache = new CallerCache<string>(10_000);
    const loads = counting();
    await cache.get(alice, 'k', loads.load('first'));
    jest.setSystemTime(1_009_999);
    await expect(cache.get(alice, 'k', loads.load('second'))).resolves.toBe(
      'first',
    );
    jest.setSystemTime(1_010_000);
    await expect(cache.get(alice, 'k', loads.load('second'))).resolves.toBe(
      'second',
    );
    expect(loads.calls()).toBe(2);
  });

  it('shares one load between concurrent requests and keeps no failure', async () => {
    const cache = new CallerCache<string>(10_000);
    let release!: (value: string) => void;
    let calls = 0;
    const slow = () => {
      calls += 1;
      return new Promise<string>(resolve => {
        release = resolve;
      });
    };
    const both = Promise.all([
      cache.get(alice, 'k', slow),
      cache.get(alice, 'k', slow),
    ]);
    release('shared');
    await expect(both).resolves.toEqual(['shared', 'shared']);
    expect(calls).toBe(1);

    const failing = new CallerCache<string>(10_000);
    await expect(
      failing.get(alice, 'k', async () => {
        throw new Error('catalog down');
      }),
    ).rejects.toThrow('catalog down');
    await expect(failing.get(alice, 'k', async () => 'back')).resolves.toBe(
      'back',
    );
  });

  it('does not keep answers of anonymous callers, nor any with a time to live of 0', async () => {
    const loads = counting();
    const cache = new CallerCache<string>(10_000);
    await cache.get(mockCredentials.none(), 'k', loads.load('a'));
    await cache.get(mockCredentials.none(), 'k', loads.load('b'));
    const off = new CallerCache<string>(0);
    await off.get(alice, 'k', loads.load('c'));
    await off.get(alice, 'k', loads.load('d'));
    expect(loads.calls()).toBe(4);
  });

  it('drops the least recently used answers beyond its size', async () => {
    const cache = new CallerCache<string>(10_000, 2);
    const loads = counting();
    await cache.get(alice, 'a', loads.load('a'));
    await cache.get(alice, 'b', loads.load('b'));
    await cache.get(alice, 'a', loads.load('a2'));
    await cache.get(alice, 'c', loads.load('c'));
    await expect(cache.get(alice, 'a', loads.load('a3'))).resolves.toBe('a');
    await expect(cache.get(alice, 'b', loads.load('b2'))).resolves.toBe('b2');
    expect(loads.calls()).toBe(4);
  });
});
