/***/
/**
 * The streaming module for @backstage/plugin-scaffolder-backend.
 *
 * @packageDocumentation
 */

export { scaffolderModuleStreaming as default } from './module';
