import '@testing-library/jest-dom';

// recharts' ResponsiveContainer observes its size; jsdom has no layout, so
// an observer that never reports is enough for the charts to mount.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver;
