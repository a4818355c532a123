import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { formatZodIssues } from './formatZodIssues';

const schema = z.object({
  receivers: z.array(z.object({ url: z.url(), 'api-key': z.string() })),
  port: z.number().int(),
});

describe('formatZodIssues', () => {
  it('names every issue by its path, under the root, and never quotes the value', () => {
    const parsed = schema.safeParse({
      receivers: [{ url: 'not a url', 'api-key': 42 }],
      port: 'secret-looking-value',
    });
    expect(parsed.success).toBe(false);
    const message = formatZodIssues(parsed.error!.issues, {
      root: 'streaming.alerting',
    });
    expect(message).toBe(
      [
        'streaming.alerting.receivers[0].url: Invalid URL',
        'streaming.alerting.receivers[0]["api-key"]: Invalid input: expected string, received number',
        'streaming.alerting.port: Invalid input: expected number, received string',
      ].join('; '),
    );
    expect(message).not.toContain('secret-looking-value');
  });

  it('names an issue about the whole value by the root, else by `whole`', () => {
    const parsed = schema.safeParse('text');
    expect(formatZodIssues(parsed.error!.issues, { root: 'cfg' })).toBe(
      'cfg: Invalid input: expected object, received string',
    );
    expect(formatZodIssues(parsed.error!.issues, { whole: 'input' })).toBe(
      'input: Invalid input: expected object, received string',
    );
    expect(formatZodIssues(parsed.error!.issues)).toBe(
      'value: Invalid input: expected object, received string',
    );
  });

  it('reads zod 3 issues too', () => {
    const parsed = z3.object({ items: z3.array(z3.string()) }).safeParse({
      items: ['a', 1],
    });
    expect(parsed.success).toBe(false);
    expect(formatZodIssues(!parsed.success ? parsed.error.issues : [])).toBe(
      'items[1]: Expected string, received number',
    );
  });
});
