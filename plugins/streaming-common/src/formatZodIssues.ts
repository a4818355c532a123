import { formatPath } from './spec/SpecError';

/**
 * What {@link formatZodIssues} reads of a zod issue (zod 3 and zod 4 issues
 * both have it).
 *
 * @public
 */
export interface ZodIssueLike {
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
}

/**
 * The problems a zod schema found, for an error message: `PATH: message` per
 * issue, joined by `; `. Paths are written as in spec errors
 * (`receivers[0].url`), under `root` when given (a config key such as
 * `streaming.alerting`); an issue about the whole value is named `root`, else
 * `whole` (default `value`). Values are never quoted: they may be secrets.
 *
 * @public
 */
export function formatZodIssues(
  issues: ReadonlyArray<ZodIssueLike>,
  options: { root?: string; whole?: string } = {},
): string {
  const { root, whole = 'value' } = options;
  return issues
    .map(issue => {
      const path = formatPath(issue.path);
      let where = path || root || whole;
      if (root && path) {
        where = path.startsWith('[') ? `${root}${path}` : `${root}.${path}`;
      }
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
