/***/
/**
 * The streaming backend module for the catalog plugin.
 *
 * @packageDocumentation
 */

export { catalogModuleStreaming as default } from './module';
