import {
  PipelineSpec,
  formatSpecError,
  outputColumns,
  parsePipelineSpec,
  validatePipelineSpec,
} from '@internal/plugin-streaming-common';
import { isCollection, isScalar, parseDocument, visit } from 'yaml';
import { argoCdApplication, ciWorkflow } from './ci/renderCi';
import { renderDocs } from './docs';
import { GeneratedFile } from './GeneratedFile';
import { renderJob } from './job/renderJob';
import { jobTestsPath, renderJobTests } from './job/renderJobTests';
import {
  maintenanceApplication,
  renderMaintenanceJob,
} from './manifests/renderMaintenance';
import { pipelineDashboard } from './manifests/renderGrafanaDashboard';
import {
  DeployEnvironment,
  deployEnvironments,
  withoutEnvironments,
} from './manifests/deployEnvironments';
import { prometheusRule } from './manifests/renderPrometheusRule';
import { sparkApplication } from './manifests/renderSparkApplication';
import { catalogInfo } from './renderCatalogInfo';
import { renderDockerfile, renderRequirements } from './renderImage';
import { RenderInputError } from './RenderInputError';
import { RenderOptions, resolveOptions } from './RenderOptions';
import { runtimeFiles } from './runtimeFiles';
import { toYaml } from './yaml';

function jobTests(
  spec: PipelineSpec,
  columns: string[] | undefined,
): GeneratedFile[] {
  const content = renderJobTests(spec, columns);
  return content ? [{ path: jobTestsPath(spec), content }] : [];
}

const SAFE_PATH =
  /^(?!.*(^|\/)\.{1,2}(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * `pipeline.yaml` from the spec's text: as written when it has no explicit
 * YAML tag; otherwise the parsed document written again (comments kept)
 * with every tagged node replaced by the value it resolved to. The text must
 * be the spec being rendered.
 */
function specFile(text: string, spec: PipelineSpec): string {
  const parsed = parsePipelineSpec(text);
  if (!parsed.spec || JSON.stringify(parsed.spec) !== JSON.stringify(spec)) {
    throw new RenderInputError([
      {
        option: 'options.specText',
        message: parsed.spec
          ? 'is not the text of the spec being rendered'
          : parsed.errors.map(formatSpecError).join('; '),
      },
    ]);
  }
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true });
  let tagged = false;
  visit(doc, {
    Node(_key, node) {
      if ((isScalar(node) || isCollection(node)) && node.tag) {
        tagged = true;
        return doc.createNode(node.toJS(doc));
      }
      return undefined;
    },
  });
  return tagged ? doc.toString({ lineWidth: 0 }) : text;
}

/**
 * The manifests of one environment, under `deploy/<environment>/`, and its
 * Argo CD Application when the repository's URL is known.
 */
function environmentFiles(environment: DeployEnvironment): GeneratedFile[] {
  const { name, spec, options } = environment;
  const files: GeneratedFile[] = [
    {
      path: `deploy/${name}/spark-application.yaml`,
      content: toYaml(sparkApplication(spec, options, environment)),
    },
    {
      path: `deploy/${name}/prometheus-rule.yaml`,
      content: toYaml(prometheusRule(spec, options, environment)),
    },
  ];
  const maintenance = maintenanceApplication(spec, options, environment);
  if (maintenance) {
    files.push({
      path: `deploy/${name}/table-maintenance.yaml`,
      content: toYaml(maintenance),
    });
  }
  const application = argoCdApplication(spec, options, environment);
  if (application) {
    files.push({ path: `argocd/${name}.yaml`, content: toYaml(application) });
  }
  return files;
}

/**
 * Renders the files of a pipeline repository from a spec: the PySpark job,
 * its image, the SparkApplication, alert rules, a Grafana dashboard, table maintenance, TechDocs
 * and catalog-info.yaml. The output is deterministic (same spec and options,
 * same bytes) and sorted by path.
 *
 * A spec with environments gets one image and job (its settings' defaults
 * are the spec's own values) and, per environment, `deploy/<environment>/`
 * (SparkApplication, PrometheusRule, table maintenance) and
 * `argocd/<environment>.yaml`, from the spec as it runs there; the catalog
 * entity names the first environment's namespace and cluster.
 *
 * The spec and options are validated here too, whoever calls: an invalid
 * one is a {@link RenderInputError} naming every problem.
 *
 * @public
 */
export function renderPipeline(
  input: PipelineSpec,
  options: RenderOptions = {},
): GeneratedFile[] {
  const checked = validatePipelineSpec(input);
  if (!checked.spec) {
    throw new RenderInputError(
      checked.errors.map(e => ({
        option: 'spec',
        message: formatSpecError(e),
      })),
    );
  }
  const spec = checked.spec;
  const resolved = resolveOptions(spec, options);
  const environments = deployEnvironments(spec, resolved);
  // The job, its image and its tests run the spec's own values (the
  // defaults of its settings); each environment's manifests set what
  // differs there.
  const job = withoutEnvironments(spec);
  // The columns the steps leave, for the job's tests and the overview page
  // (the environments do not change the steps).
  const columns = outputColumns(spec);
  const first = environments[0];
  const files: GeneratedFile[] = [
    {
      path: 'catalog-info.yaml',
      content: toYaml(
        first
          ? catalogInfo(first.spec, first.options)
          : catalogInfo(spec, resolved),
      ),
    },
    { path: 'job/main.py', content: renderJob(job, resolved) },
    ...runtimeFiles(),
    ...jobTests(job, columns),
    { path: 'requirements.txt', content: renderRequirements(job, resolved) },
    { path: 'Dockerfile', content: renderDockerfile(job, resolved) },
    {
      path: 'deploy/grafana-dashboard.json',
      content: `${JSON.stringify(pipelineDashboard(spec), null, 2)}\n`,
    },
    ...renderDocs(spec, columns),
    {
      path: '.github/workflows/pipeline.yaml',
      content: toYaml(ciWorkflow(spec, resolved)),
    },
  ];
  if (first) {
    for (const environment of environments) {
      files.push(...environmentFiles(environment));
    }
  } else {
    files.push(
      {
        path: 'deploy/spark-application.yaml',
        content: toYaml(sparkApplication(spec, resolved)),
      },
      {
        path: 'deploy/prometheus-rule.yaml',
        content: toYaml(prometheusRule(spec, resolved)),
      },
    );
    const application = argoCdApplication(spec, resolved);
    if (application) {
      files.push({
        path: 'argocd/application.yaml',
        content: toYaml(application),
      });
    }
    const maintenance = maintenanceApplication(spec, resolved);
    if (maintenance) {
      files.push({
        path: 'deploy/table-maintenance.yaml',
        content: toYaml(maintenance),
      });
    }
  }
  const maintenanceJob = renderMaintenanceJob(job);
  if (maintenanceJob) {
    files.push({ path: 'job/maintenance.py', content: maintenanceJob });
  }
  if (resolved.includeSpec) {
    files.push({
      path: 'pipeline.yaml',
      content:
        resolved.specText !== undefined
          ? specFile(resolved.specText, spec)
          : toYaml(spec),
    });
  }
  for (const file of files) {
    if (!SAFE_PATH.test(file.path)) {
      throw new Error(`unsafe generated path: ${JSON.stringify(file.path)}`);
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
