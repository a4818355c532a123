import { lagSeconds } from './lagSeconds';

describe('lagSeconds', () => {
  const history = [
    { offset: 100, time: 10_000 },
    { offset: 100, time: 20_000 },
    { offset: 200, time: 30_000 },
    { offset: 400, time: 40_000 },
  ];

  it('is 0 when the consumer is at the head', () => {
    expect(lagSeconds(history, 400, 400, 50_000)).toBe(0);
  });

  it('interpolates when the consumed offset was the head', () => {
    // Offset 100 was the head until 20s; the message at 100 was written in
    // (20s, 30s]: the 1st of 100 messages, at 20.1s.
    expect(lagSeconds(history, 100, 400, 50_000)).toBeCloseTo(29.9, 5);
  });

  it('interpolates between observations', () => {
    // Message 299 is the 100th of 200 written between 30s and 40s.
    expect(lagSeconds(history, 299, 400, 50_000)).toBeCloseTo(15, 5);
  });

  it('extrapolates at the observed rate before the oldest observation', () => {
    // 300 messages in 30s: 10/s; offset 50 is 5s before the first point.
    expect(lagSeconds(history, 50, 400, 50_000)).toBeCloseTo(45, 5);
  });

  it('uses the newest observation when the head moved after it', () => {
    expect(lagSeconds(history, 400, 450, 50_000)).toBeCloseTo(10, 5);
  });

  it('is null without observations', () => {
    expect(lagSeconds([], 1, 5, 50_000)).toBeNull();
  });
});
