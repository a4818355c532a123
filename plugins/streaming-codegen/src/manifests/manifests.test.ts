import { existsSync } from 'fs';
import { join, resolve } from 'path';
import { parse } from 'yaml';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import { crdValidator as sharedCrdValidator } from '../__testUtils__/crdValidator';
import { goldenCases, repoRoot } from '../__testUtils__/goldenCases';
import { catalogInfo } from '../renderCatalogInfo';
import { resolveOptions } from '../RenderOptions';
import { toYaml } from '../yaml';
import { deployEnvironments } from './deployEnvironments';
import { maintenanceApplication } from './renderMaintenance';
import { prometheusRule } from './renderPrometheusRule';
import { sparkApplication } from './renderSparkApplication';

const crdDir = resolve(repoRoot, '../shared/fixtures/spark-operator');

const cases = goldenCases().map(c => {
  const spec = parsePipelineSpec(c.specText).spec!;
  return { name: c.name, spec, options: resolveOptions(spec, c.options) };
});

function crdValidator(file: string) {
  return sharedCrdValidator(join(crdDir, file), 'v1beta2');
}

describe('Kubernetes manifests', () => {
  it('validate against the Spark Operator CRDs', () => {
    if (!existsSync(crdDir)) {
      if (process.env.CI) {
        throw new Error(`the Spark Operator CRDs are missing: ${crdDir}`);
      }
      // Outside CI the shared fixtures may be absent: say so instead of failing.
      process.stdout.write(
        'skipped: Spark Operator CRD validation (../shared/fixtures/spark-operator is absent)\n',
      );
      return;
    }
    const validateApp = crdValidator(
      'sparkapplications.sparkoperator.k8s.io.crd.yaml',
    );
    const validateScheduled = crdValidator(
      'scheduledsparkapplications.sparkoperator.k8s.io.crd.yaml',
    );
    const checks = cases.flatMap(c => {
      const maintenance = maintenanceApplication(c.spec, c.options);
      return [
        {
          name: `${c.name}: SparkApplication`,
          validate: validateApp,
          object: sparkApplication(c.spec, c.options),
        },
        // deploy/<environment>/ of a spec with environments.
        ...deployEnvironments(c.spec, c.options).flatMap(env => [
          {
            name: `${c.name} in ${env.name}: SparkApplication`,
            validate: validateApp,
            object: sparkApplication(env.spec, env.options, env),
          },
          ...[maintenanceApplication(env.spec, env.options, env)]
            .filter(Boolean)
            .map(object => ({
              name: `${c.name} in ${env.name}: ScheduledSparkApplication`,
              validate: validateScheduled,
              object: object!,
            })),
        ]),
        ...(maintenance
          ? [
              {
                name: `${c.name}: ScheduledSparkApplication`,
                validate: validateScheduled,
                object: maintenance,
              },
            ]
          : []),
      ];
    });
    const results = checks.map(({ name, validate, object }) => ({
      name,
      errors: validate(object) ? [] : validate.errors,
    }));
    expect(results).toEqual(checks.map(({ name }) => ({ name, errors: [] })));
    expect(
      checks.filter(c => c.validate === validateScheduled).length,
    ).toBeGreaterThan(3);
    // The validator does reject what the CRD forbids.
    expect(validateApp({ spec: { type: 'Perl' } })).toBe(false);
    const misspelt = sparkApplication(cases[0].spec, cases[0].options) as any;
    misspelt.spec.dynamicAlocation = { enabled: true };
    expect(validateApp(misspelt)).toBe(false);
  });

  it('parse back to the objects they were made from', () => {
    for (const c of cases) {
      const objects = [
        catalogInfo(c.spec, c.options),
        sparkApplication(c.spec, c.options),
        prometheusRule(c.spec, c.options),
        maintenanceApplication(c.spec, c.options),
      ].filter(Boolean);
      for (const object of objects) {
        expect(parse(toYaml(object))).toEqual(object);
      }
    }
  });

  it('carry the spec resources and thresholds', () => {
    const clickstream = cases.find(c => c.name === 'example clickstream')!;
    const app = sparkApplication(clickstream.spec, clickstream.options) as any;
    expect(app.spec.driver).toMatchObject({ cores: 2, memory: '4g' });
    expect(app.spec.executor).toMatchObject({
      cores: 4,
      memory: '8g',
      instances: 8,
    });
    expect(app.spec.dynamicAllocation).toEqual({
      enabled: true,
      initialExecutors: 8,
      minExecutors: 8,
      maxExecutors: 16,
      shuffleTrackingEnabled: true,
    });
    expect(app.spec.restartPolicy.type).toBe('Always');
    expect(app.metadata.labels['streaming-platform.dev/owner']).toBe(
      'team-growth',
    );
    const rule = prometheusRule(clickstream.spec, clickstream.options) as any;
    const exprs = rule.spec.groups[0].rules.map((r: any) => r.expr);
    expect(exprs).toEqual([
      'max(streaming_pipeline_lag_messages{pipeline="clickstream"}) > 25000',
      'max(streaming_pipeline_lag_messages{pipeline="clickstream"}) > 50000',
      'max(streaming_pipeline_lag_seconds{pipeline="clickstream"}) > 60',
      'max(streaming_pipeline_lag_seconds{pipeline="clickstream"}) > 120',
      'time() - max(streaming_pipeline_last_batch_timestamp_seconds{pipeline="clickstream"}) > 300',
    ]);
    expect(rule.spec.groups[0].rules[1].labels).toEqual({
      severity: 'critical',
      pipeline: 'clickstream',
      channel: 'pagerduty',
    });
  });
});
