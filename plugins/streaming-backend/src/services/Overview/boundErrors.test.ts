import { boundErrors } from './boundErrors';

const error = (i: number) => ({
  source: `kubernetes:prod/ns-${i}`,
  message: `SparkApplication app-${i} not found`,
});

describe('boundErrors', () => {
  it('keeps the first max errors and says how many more there were', () => {
    const errors = Array.from({ length: 5 }, (_, i) => error(i));
    expect(boundErrors(errors, 2)).toEqual([
      error(0),
      error(1),
      {
        source: 'overview',
        message: '3 more errors not listed (streaming.overview.maxErrors: 2)',
      },
    ]);
  });

  it('leaves a list within max as it is', () => {
    const errors = [error(0), error(1)];
    expect(boundErrors(errors, 2)).toBe(errors);
    expect(boundErrors([], 2)).toEqual([]);
  });
});
