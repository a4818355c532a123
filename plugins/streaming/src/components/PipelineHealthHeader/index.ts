export { PipelineHealthHeader } from './PipelineHealthHeader';
