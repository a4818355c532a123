import { formatValue } from './formatValue';

describe('formatValue', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1234, '1.2K'],
    [50_000, '50K'],
    [999_960, '1M'],
    [1_500_000, '1.5M'],
    [-2500, '-2.5K'],
    [0.25, '0.3'],
    [12.4, '12'],
  ])('writes the count %p as %p', (value, text) => {
    expect(formatValue(value, 'count')).toBe(text);
  });

  it('adds a unit after a space and a period directly', () => {
    expect(formatValue(1234, 'count', { suffix: 'msg/s' })).toBe('1.2K msg/s');
    expect(formatValue(1234, 'currency', { suffix: '/mo' })).toBe('$1,234/mo');
  });

  it.each([
    [250, 'ms', '250 ms'],
    [3400, 'ms', '3.4 s'],
    [45_000, 'ms', '45 s'],
    [150_000, 'ms', '2.5 min'],
    [3.4, 'seconds', '3.4 s'],
    [0.2, 'seconds', '200 ms'],
    [5400, 'seconds', '1.5 h'],
    [172_800, 'seconds', '2 d'],
  ] as const)('writes the duration %p %s as %p', (value, unit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });

  it('writes bytes in decimal units', () => {
    expect(formatValue(2_500_000_000_000, 'bytes')).toBe('2.5 TB');
    expect(formatValue(512, 'bytes')).toBe('512 B');
  });

  it('writes money with cents only under ten', () => {
    expect(formatValue(4500, 'currency')).toBe('$4,500');
    expect(formatValue(1.234, 'currency')).toBe('$1.23');
    expect(formatValue(12, 'currency', { currency: 'EUR' })).toBe('€12');
  });

  it('writes a dash for missing values', () => {
    expect(formatValue(null, 'count')).toBe('—');
    expect(formatValue(undefined, 'ms')).toBe('—');
    expect(formatValue(Number.NaN, 'currency', { suffix: '/mo' })).toBe('—');
  });
});
