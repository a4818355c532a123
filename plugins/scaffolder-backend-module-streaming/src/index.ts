/**
 * The streaming module for @backstage/plugin-scaffolder-backend.
 *
 * @packageDocumentation
 */

export { streamingScaffolderFeatures as default } from './features';
export { scaffolderModuleStreaming } from './module';
export { localRepoUrlReaderFactory } from './services/LocalRepoUrlReader/localRepoUrlReaderFactory';
export { createKafkaTopicCreateAction } from './actions/kafkaTopicCreate';
export { createKafkaConnectorCreateAction } from './actions/kafkaConnectorCreate';
export { createPublishLocalAction } from './actions/publishLocal';
export { createPipelineValidateAction } from './actions/pipelineValidate';
export { createSparkApplicationApplyAction } from './actions/sparkApplicationApply';
export { createPipelineRenderAction } from './actions/pipelineRender';
