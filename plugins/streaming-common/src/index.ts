/**
 * Isomorphic parts of the streaming platform: annotations, entity types,
 * permissions, the pipeline spec and the backend's API types.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './entityTypes';
export * from './permissions';
export * from './api/types';
export * from './api/teams';
export * from './spec';
export * from './entityNames';
export * from './lineage';
export * from './pipelineObservation';
export * from './formatZodIssues';
