import { Config } from '@backstage/config';
import { z } from 'zod';

/**
 * Reads an optional config section and validates it with a zod schema. The
 * error names the config path and what was expected, never the values (they
 * may be passwords or tokens).
 */
export function parseConfigSection<T extends z.ZodType>(
  config: Config,
  key: string,
  schema: T,
): z.output<T> {
  const result = schema.safeParse(config.getOptional(key));
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      const path = [key, ...issue.path.map(String)].join('.');
      return `${path}: ${issue.message}`;
    });
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}
