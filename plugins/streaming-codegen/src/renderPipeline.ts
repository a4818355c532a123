import { PipelineSpec } from '@internal/plugin-streaming-common';
import { renderDocs } from './docs';
import { GeneratedFile } from './GeneratedFile';
import { renderJob } from './job/renderJob';
import {
  maintenanceApplication,
  renderMaintenanceJob,
} from './manifests/renderMaintenance';
import { prometheusRule } from './manifests/renderPrometheusRule';
import { sparkApplication } from './manifests/renderSparkApplication';
import { catalogInfo } from './renderCatalogInfo';
import { renderDockerfile, renderRequirements } from './renderImage';
import { RenderOptions, resolveOptions } from './RenderOptions';
import { toYaml } from './yaml';

const SAFE_PATH =
  /^(?!.*(^|\/)\.{1,2}(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * Renders the files of a pipeline repository from a validated spec: the
 * PySpark job, its image, the SparkApplication, alert rules, table
 * maintenance, TechDocs and catalog-info.yaml. The output is deterministic
 * (same spec and options, same bytes) and sorted by path.
 *
 * @public
 */
export function renderPipeline(
  spec: PipelineSpec,
  options: RenderOptions = {},
): GeneratedFile[] {
  const resolved = resolveOptions(spec, options);
  const files: GeneratedFile[] = [
    { path: 'catalog-info.yaml', content: toYaml(catalogInfo(spec, resolved)) },
    { path: 'job/main.py', content: renderJob(spec, resolved) },
    { path: 'requirements.txt', content: renderRequirements(spec, resolved) },
    { path: 'Dockerfile', content: renderDockerfile(spec, resolved) },
    {
      path: 'deploy/spark-application.yaml',
      content: toYaml(sparkApplication(spec, resolved)),
    },
    {
      path: 'deploy/prometheus-rule.yaml',
      content: toYaml(prometheusRule(spec, resolved)),
    },
    ...renderDocs(spec),
  ];
  const maintenance = maintenanceApplication(spec, resolved);
  const maintenanceJob = renderMaintenanceJob(spec);
  if (maintenance && maintenanceJob) {
    files.push(
      {
        path: 'deploy/table-maintenance.yaml',
        content: toYaml(maintenance),
      },
      { path: 'job/maintenance.py', content: maintenanceJob },
    );
  }
  if (resolved.includeSpec) {
    files.push({
      path: 'pipeline.yaml',
      content: resolved.specText ?? toYaml(spec),
    });
  }
  for (const file of files) {
    if (!SAFE_PATH.test(file.path)) {
      throw new Error(`unsafe generated path: ${JSON.stringify(file.path)}`);
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
