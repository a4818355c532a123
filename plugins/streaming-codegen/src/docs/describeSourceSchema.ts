import {
  PipelineSource,
  sourceSchemaFile,
} from '@internal/plugin-streaming-common';
import { code } from './markdown';

/**
 * Where the records' schema of a source is declared, as a phrase of the
 * docs: `the schema file ...`, or the registry subject's version and where
 * its reader schema is kept; undefined without a schema (inline fields or a
 * Delta source).
 */
export function describeSourceSchema(
  source: PipelineSource,
): string | undefined {
  if (source.type === 'delta' || !source.schema) {
    return undefined;
  }
  if (typeof source.schema === 'string') {
    return `the schema file ${code(source.schema)}`;
  }
  const { registry, subject, version } = source.schema;
  return `${
    version === 'latest' ? 'the latest version' : `version ${version}`
  } of subject ${code(subject)} in schema registry ${code(
    registry,
  )} (kept in ${code(sourceSchemaFile(source)!)})`;
}
