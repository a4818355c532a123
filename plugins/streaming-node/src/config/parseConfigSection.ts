import { Config } from '@backstage/config';
import { formatZodIssues } from '@internal/plugin-streaming-common';
import { z } from 'zod';

/**
 * Reads an optional config section and validates it with a zod schema. The
 * error names the config path and what was expected, never the values (they
 * may be passwords or tokens): `Invalid configuration: KEY.PATH: problem; …`
 * (`description` replaces `configuration`).
 *
 * @public
 */
export function parseConfigSection<T extends z.ZodType>(
  config: Config,
  key: string,
  schema: T,
  description: string = 'configuration',
): z.output<T> {
  const result = schema.safeParse(config.getOptional(key));
  if (!result.success) {
    throw new Error(
      `Invalid ${description}: ${formatZodIssues(result.error.issues, {
        root: key,
      })}`,
    );
  }
  return result.data;
}
