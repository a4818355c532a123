import '@testing-library/jest-dom';

// recharts' ResponsiveContainer observes its size; jsdom has no layout, so
// an observer that never reports is enough for the charts to mount.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver;

// The cards render charts and tables inside a whole test app; on a busy
// machine that takes longer than jest's default budget of 5 s per test.
jest.setTimeout(30_000);
