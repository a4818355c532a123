import { evaluateHealth, HealthInput } from './evaluateHealth';

const base: HealthInput = {
  thresholds: { lagMessages: 10_000, lagSeconds: 60 },
  lagMessages: 10,
  lagSeconds: 1,
  lastBatchAgeSeconds: 5,
  staleAfterMs: 300_000,
};

describe('evaluateHealth', () => {
  it.each([
    [{}, 'ok', undefined],
    [{ lagMessages: 6_000 }, 'warning', 'lag'],
    [{ lagSeconds: 61 }, 'critical', 'lag'],
    [{ lagMessages: 10_001 }, 'critical', 'lag'],
    [{ lastBatchAgeSeconds: 301 }, 'stale', 'stale'],
    [
      { applicationState: 'FAILED', applicationError: 'OOM' },
      'critical',
      'failed',
    ],
    [
      { lastBatchAgeSeconds: undefined, lagMessages: null, lagSeconds: null },
      'unknown',
      undefined,
    ],
  ] as const)('%j gives %s', (change, health, section) => {
    const verdict = evaluateHealth({ ...base, ...change });
    expect(verdict.health).toBe(health);
    expect(verdict.runbookSection).toBe(section);
  });

  it('names the failure of the application', () => {
    expect(
      evaluateHealth({
        ...base,
        applicationState: 'FAILED',
        applicationError: 'OOM',
      }).reasons,
    ).toEqual(['SparkApplication is FAILED: OOM']);
  });
});
