/**
 * A spec or render options that `renderPipeline` refuses. Named
 * `InputError`, so Backstage's error handling treats it as the caller's
 * mistake (as `@backstage/errors`' InputError); `problems` lists each one.
 *
 * @public
 */
export class RenderInputError extends Error {
  readonly problems: Array<{ option: string; message: string }>;

  constructor(problems: Array<{ option: string; message: string }>) {
    super(
      `Cannot render the pipeline: ${problems
        .map(p => `${p.option}: ${p.message}`)
        .join('; ')}`,
    );
    this.name = 'InputError';
    this.problems = problems;
  }
}
