import { useApi } from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  DEFAULT_RESOURCES,
  parseMemoryGb,
} from '@internal/plugin-streaming-common';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { streamingApiRef } from '../api/StreamingApi';
import { validatePipelinePart } from './validatePipelinePart';

/** The resources of a pipeline, as in `pipeline.resources`. */
export interface PipelineResources {
  driver?: { cores?: number; memory?: string };
  executor?: {
    cores?: number;
    memory?: string;
    instances?: number;
    max_instances?: number;
  };
}

/** `ui:options` of {@link PipelineResourcesEditor}. */
export interface PipelineResourcesEditorUiOptions {
  /**
   * Whose rates price the estimate: a Kubernetes cluster named in
   * `streaming.cost.rates`; default `default`.
   */
  rateCluster?: string;
}

/** Props of {@link PipelineResourcesEditor}. */
export type PipelineResourcesEditorProps = FieldExtensionComponentProps<
  PipelineResources,
  PipelineResourcesEditorUiOptions
>;

const HOURS_PER_MONTH = 730;

/** Price per hour of a pipeline with `executors` executors; undefined when a size is invalid. */
export function hourlyCost(
  resources: PipelineResources,
  executors: number,
  rates: { coreHour: number; gbHour: number },
): number | undefined {
  const driverGb = parseMemoryGb(resources.driver?.memory ?? '2g');
  const executorGb = parseMemoryGb(resources.executor?.memory ?? '4g');
  if (driverGb === undefined || executorGb === undefined) {
    return undefined;
  }
  const cores =
    (resources.driver?.cores ?? 1) +
    (resources.executor?.cores ?? 2) * executors;
  const gb = driverGb + executorGb * executors;
  return cores * rates.coreHour + gb * rates.gbHour;
}

type Path = ['driver' | 'executor', string];

const INPUTS: Array<{ path: Path; label: string; numeric: boolean }> = [
  { path: ['driver', 'cores'], label: 'Driver cores', numeric: true },
  { path: ['driver', 'memory'], label: 'Driver memory', numeric: false },
  { path: ['executor', 'cores'], label: 'Executor cores', numeric: true },
  { path: ['executor', 'memory'], label: 'Executor memory', numeric: false },
  { path: ['executor', 'instances'], label: 'Executors', numeric: true },
  {
    path: ['executor', 'max_instances'],
    label: 'Executors at most (scaling with lag)',
    numeric: true,
  },
];

/**
 * Driver and executor sizes, checked with the spec rules as you type, and
 * what they cost per hour and per month at the configured rates.
 */
export function PipelineResourcesEditor(props: PipelineResourcesEditorProps) {
  const { formData, onChange, schema, uiSchema } = props;
  const defaults = (schema.default ?? DEFAULT_RESOURCES) as PipelineResources;
  const resources: PipelineResources = {
    driver: { ...defaults.driver, ...formData?.driver },
    executor: { ...defaults.executor, ...formData?.executor },
  };
  const missing = formData === undefined || Object.keys(formData).length === 0;
  useEffect(() => {
    if (missing) {
      onChange(resources);
    }
    // Only the first render fills in the defaults.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const streamingApi = useApi(streamingApiRef);
  // The backend's configured rates, so the estimate prices as its cost figures do.
  const configured = useAsync(() => streamingApi.getCostRates(), []);
  const rateCluster = uiSchema['ui:options']?.rateCluster ?? 'default';
  const rates =
    configured.value?.rates[rateCluster] ?? configured.value?.rates.default;
  const currency = configured.value?.currency ?? 'USD';
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const rate = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    maximumFractionDigits: 4,
  });
  const problems = validatePipelinePart('resources', resources);
  const instances = resources.executor?.instances ?? 2;
  const maxInstances = resources.executor?.max_instances ?? instances;
  const low = rates && hourlyCost(resources, instances, rates);
  const high = rates && hourlyCost(resources, maxInstances, rates);
  let estimate: string;
  if (configured.loading) {
    estimate = 'Cost estimate: reading the configured rates…';
  } else if (configured.error) {
    estimate = `Cost estimate unavailable: ${configured.error.message}`;
  } else if (!rates) {
    estimate = `Cost estimate unavailable: no rate in streaming.cost.rates for ${rateCluster}.`;
  } else if (low === undefined || high === undefined) {
    estimate = 'Cost estimate: fix the sizes above.';
  } else {
    estimate = `Cost estimate: ${money.format(low)} per hour, ${money.format(
      low * HOURS_PER_MONTH,
    )} per month${
      high > low
        ? `; up to ${money.format(
            high * HOURS_PER_MONTH,
          )} per month at ${maxInstances} executors`
        : ''
    } (at ${rate.format(rates.coreHour)} per core-hour and ${rate.format(
      rates.gbHour,
    )} per GB-hour, the configured rates).`;
  }

  const update = ([group, key]: Path, raw: string, numeric: boolean) => {
    let value: string | number | undefined = raw;
    if (numeric) {
      value = raw === '' ? undefined : Number(raw);
    }
    onChange({
      ...resources,
      [group]: { ...resources[group], [key]: value },
    });
  };

  return (
    <>
      <Typography variant="subtitle1">{schema.title ?? 'Resources'}</Typography>
      <Grid container spacing={2}>
        {INPUTS.map(({ path, label, numeric }) => {
          const group = resources[path[0]] as
            | Record<string, unknown>
            | undefined;
          const current = group?.[path[1]];
          const problem = problems.find(p =>
            p.startsWith(`resources.${path[0]}.${path[1]}:`),
          );
          return (
            <Grid item xs={6} md={4} key={path.join('.')}>
              <TextField
                id={`pipeline-resources-${path.join('-')}`}
                label={label}
                type={numeric ? 'number' : 'text'}
                fullWidth
                value={current ?? ''}
                onChange={e => update(path, e.target.value, numeric)}
                error={Boolean(problem)}
                helperText={problem?.replace(/^[^:]+: /, '')}
              />
            </Grid>
          );
        })}
      </Grid>
      {problems
        .filter(
          p =>
            !INPUTS.some(i => p.startsWith(`resources.${i.path.join('.')}:`)),
        )
        .map(p => (
          <Typography key={p} color="error" variant="body2" role="alert">
            {p}
          </Typography>
        ))}
      <Typography variant="body2" style={{ marginTop: 8 }} aria-live="polite">
        {estimate}
      </Typography>
    </>
  );
}

/** The `PipelineResourcesEditor` field extension. */
export const pipelineResourcesEditorField = createFormField({
  name: 'PipelineResourcesEditor',
  component: PipelineResourcesEditor,
  validation: (resources, validation) => {
    for (const problem of validatePipelinePart('resources', resources ?? {})) {
      validation.addError(problem);
    }
  },
});
