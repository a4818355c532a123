/**
 * Isomorphic parts of the streaming platform: annotations, entity types,
 * permissions, the pipeline spec and the backend's API types.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './parseConsumerGroups';
export * from './entityTypes';
export * from './permissions';
export * from './api/types';
export * from './schema/openapi/generated/models';
export { DefaultApiClient } from './schema/openapi/generated/apis';
export type {
  RequestOptions,
  TypedResponse,
} from './schema/openapi/generated/apis';
export * from './spec';
export * from './spec/checkpointChanges';
export * from './entityNames';
export * from './lineage';
export * from './pipelineObservation';
export * from './formatZodIssues';
export * from './pipelineMetrics';
export * from './progressTopic';
export * from './schemaRegistry/SchemaRegistryClient';
export * from './schemaRegistry/fieldsThatBreak';
