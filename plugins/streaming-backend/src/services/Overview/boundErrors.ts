import { SourceError } from '@internal/plugin-streaming-common';

/**
 * At most `max` of `errors`, in their order, and then one entry saying how
 * many more there were: an overview of thousands of pipelines whose status
 * cannot be read (each failure names its SparkApplication) would otherwise
 * send every failure with every page.
 */
export function boundErrors(errors: SourceError[], max: number): SourceError[] {
  if (errors.length <= max) return errors;
  return [
    ...errors.slice(0, max),
    {
      source: 'overview',
      message: `${
        errors.length - max
      } more errors not listed (streaming.overview.maxErrors: ${max})`,
    },
  ];
}
