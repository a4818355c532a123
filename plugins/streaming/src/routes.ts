import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/frontend-plugin-api';

export const rootRouteRef = createRouteRef();

/**
 * The TechDocs site of an entity: a pipeline's runbook, the platform's own
 * documentation. Bound to TechDocs' reader page by default; an app binds it
 * elsewhere in `app.routes.bindings` (`streaming.techDocsReader`).
 */
export const techDocsReaderRouteRef = createExternalRouteRef({
  params: ['namespace', 'kind', 'name'],
  defaultTarget: 'techdocs.docRoot',
});

/**
 * The scaffolder's page of a template, where the Generated files card links
 * to the Update pipeline template (with the pipeline preselected through
 * `?formData=`). Bound to the scaffolder's selected-template page by
 * default (`streaming.scaffolderTemplate` in `app.routes.bindings`).
 */
export const scaffolderTemplateRouteRef = createExternalRouteRef({
  params: ['namespace', 'templateName'],
  defaultTarget: 'scaffolder.selectedTemplate',
});
