import {
  outputColumns,
  type PipelineSpec,
} from '@internal/plugin-streaming-common';
import type { GeneratedFile } from '../GeneratedFile';
import { toYaml } from '../yaml';
import { describePipeline } from './describePipeline';
import { renderOverview } from './renderOverview';
import { renderRunbook } from './renderRunbook';

/**
 * Renders a pipeline's TechDocs: `mkdocs.yml`, `docs/index.md` (what flows
 * from where to where, schema, thresholds, resources) and `docs/runbook.md`
 * (what to do for each alert, with this pipeline's names filled in; sections
 * anchored as in `RUNBOOK_SECTIONS`). Every piece of user text is
 * escaped, so it renders as text and never as Markdown or HTML.
 * `columns` is the spec's `outputColumns`, when the caller has it already.
 *
 * @public
 */
export function renderDocs(
  spec: PipelineSpec,
  columns: string[] | undefined = outputColumns(spec),
): GeneratedFile[] {
  const description = describePipeline(spec);
  return [
    {
      path: 'mkdocs.yml',
      content: toYaml({
        // The validated pipeline name: free text (the title) stays out of the
        // site's HTML templates.
        site_name: spec.pipeline.name,
        nav: [{ Overview: 'index.md' }, { Runbook: 'runbook.md' }],
        // No web fonts: the docs render where Google Fonts cannot be reached
        // (the TechDocs reader waits for every stylesheet before it shows a page).
        theme: { name: 'material', font: false },
        plugins: ['techdocs-core'],
      }),
    },
    {
      path: 'docs/index.md',
      content: renderOverview(spec, description, columns),
    },
    { path: 'docs/runbook.md', content: renderRunbook(spec, description) },
  ];
}
