export { Fact } from './Fact';
export type { FactProps } from './Fact';
export { PipelinesFact } from './PipelinesFact';
export type { PipelinesFactProps } from './PipelinesFact';
