import { mockCredentials } from '@backstage/backend-test-utils';
import { CallerCache, callerKey } from './CallerCache';

const alice = mockCredentials.user('user:default/alice');
const bob = mockCredentials.user('user:default/bob');

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
});
