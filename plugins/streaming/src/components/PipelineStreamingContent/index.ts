export { PipelineStreamingContent } from './PipelineStreamingContent';
