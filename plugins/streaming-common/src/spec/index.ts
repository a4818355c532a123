export * from './expression';
export type {
  PipelineSpec,
  PipelineSpecInput,
  PipelineSource,
  PipelineSink,
  PipelineDeadLetter,
  PipelineTransformation,
  PipelineField,
  PipelineFieldType,
  PipelineRegistrySchema,
  PipelineEnvironment,
} from './pipelineSpecSchema';
export {
  pipelineSpecSchema,
  MAX_PIPELINE_NAME_LENGTH,
  PIPELINE_NAME_PATTERN,
  KAFKA_TOPIC_PATTERN,
  REGISTRY_SUBJECT_PATTERN,
  ENVIRONMENT_NAME_PATTERN,
} from './pipelineSpecSchema';
export {
  pipelineEnvironments,
  nextEnvironment,
  resolveEnvironment,
  environmentQueryName,
} from './environments';
export { registrySchemaFile, sourceSchemaFile } from './sourceSchemaFile';
export type {
  SpecError,
  SpecValidationOptions,
  SpecValidationResult,
} from './SpecError';
export { schemaFieldNames } from './schemaFieldNames';
export { formatSpecError } from './SpecError';
export { validatePipelineSpec } from './validatePipelineSpec';
export { parsePipelineSpec, MAX_SPEC_TEXT_LENGTH } from './parsePipelineSpec';
export { pipelineSpecJsonSchema } from './pipelineSpecJsonSchema';
export {
  toPipelineSummary,
  resolveResources,
  DEFAULT_RESOURCES,
  DEFAULT_ALERT_ON_LAG_MESSAGES,
} from './toPipelineSummary';
export { pipelineSummarySchema } from './pipelineSummarySchema';
export { CDC_COLUMNS } from './cdcColumns';
export { outputColumns } from './outputColumns';
export { outputMode } from './outputMode';
export type { Duration } from './parseDuration';
export { parseDuration, DURATION_PATTERN } from './parseDuration';
export { CRON_MACROS } from './parseCron';
export { parseMemoryGb, normalizeMemory, MEMORY_PATTERN } from './parseMemory';
