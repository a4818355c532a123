export { PipelineOperationsCard } from './PipelineOperationsCard';
