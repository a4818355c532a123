/**
 * Turns a pipeline spec into the files of a pipeline repository: the PySpark
 * job, its SparkApplication, alert rules, TechDocs and catalog-info.yaml.
 *
 * @packageDocumentation
 */

export { toYaml } from './yaml';
export type { GeneratedFile } from './GeneratedFile';
export type { RenderOptions } from './RenderOptions';
export { renderPipeline } from './renderPipeline';
export { GENERATOR_VERSION } from './cli/version';
export type { RepositoryRender } from './ci/readRepositoryRender';
export {
  readRepositoryRender,
  REPOSITORY_WORKFLOW_PATH,
} from './ci/readRepositoryRender';
export { RenderInputError } from './RenderInputError';
export { renderDocs, RUNBOOK_SECTIONS } from './docs';
export type { RunbookSection } from './docs';
export type { JobSetting } from './job/jobSettings';
export { jobSettings, DEFAULT_PROGRESS_TOPIC } from './job/jobSettings';
export { avroSchema } from './job/sparkTypes';
export type { RegistrySchema } from './schemaRegistry/sourceRegistrySchema';
export { sourceRegistrySchema } from './schemaRegistry/sourceRegistrySchema';
export {
  pipelineDashboard,
  platformDashboard,
} from './manifests/renderGrafanaDashboard';
export { pyStr } from './python/pyLiteral';
