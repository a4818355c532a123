import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import { goldenCases, repoRoot } from '../__testUtils__/goldenCases';
import { resolveOptions } from '../RenderOptions';
import { deployEnvironments } from './deployEnvironments';
import { prometheusRule } from './renderPrometheusRule';

const run = promisify(execFile);
jest.setTimeout(300_000);

/** promtool from Debian's prometheus package (installed by scripts/prometheus.sh when missing). */
async function promtool(args: string[], cwd: string) {
  try {
    const { stdout } = await run('promtool', args, { cwd });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: `${e.stdout}${e.stderr}` };
  }
}

describe('generated PrometheusRule on a real promtool', () => {
  let dir: string;
  beforeAll(async () => {
    await run(join(repoRoot, 'scripts/prometheus.sh'), ['install'], {
      timeout: 600_000,
    });
    dir = await mkdtemp(join(tmpdir(), 'promtool-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  type Rule = {
    spec: { groups: Array<{ name: string; rules: unknown[] }> };
  };
  // Each spec's rule; a spec with environments has one per environment too
  // (deploy/<environment>/prometheus-rule.yaml).
  const cases = goldenCases().flatMap(c => {
    const spec = parsePipelineSpec(c.specText).spec!;
    const options = resolveOptions(spec, c.options);
    return [
      { name: c.name, rule: prometheusRule(spec, options) as Rule },
      ...deployEnvironments(spec, options).map(env => ({
        name: `${c.name} in ${env.name}`,
        rule: prometheusRule(env.spec, env.options, env) as Rule,
      })),
    ];
  });

  it.each(cases.map(c => [c.name, c.rule] as const))(
    'promtool check rules accepts the groups of %s',
    async (name, rule) => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.yml`);
      await writeFile(file, stringify({ groups: rule.spec.groups }));
      const result = await promtool(['check', 'rules', file], dir);
      expect(result).toEqual({
        code: 0,
        stdout: expect.stringContaining(
          `SUCCESS: ${rule.spec.groups[0].rules.length} rules found`,
        ),
      });
    },
  );

  it('promtool check rules refuses a broken expression (the check can fail)', async () => {
    const rule = structuredClone(cases[0].rule) as any;
    rule.spec.groups[0].rules[0].expr = 'max(streaming_pipeline_lag_messages{';
    const file = join(dir, 'broken.yml');
    await writeFile(file, stringify({ groups: rule.spec.groups }));
    expect((await promtool(['check', 'rules', file], dir)).code).not.toBe(0);
  });

  it('the lag alert fires after its for: and resolves with the lag (promtool test rules)', async () => {
    const clickstream = cases.find(c => c.name === 'example clickstream')!;
    const lagRules = (
      clickstream.rule.spec.groups[0].rules as Array<{
        alert: string;
        labels: Record<string, string>;
        annotations: Record<string, string>;
      }>
    ).filter(r => r.alert === 'ClickstreamLagMessages');
    expect(lagRules.map(r => r.labels)).toEqual(
      ['warning', 'critical'].map(severity => ({
        severity,
        pipeline: 'clickstream',
        channel: 'pagerduty',
      })),
    );
    await writeFile(
      join(dir, 'clickstream.yml'),
      stringify({ groups: clickstream.rule.spec.groups }),
    );
    // Lag of 60,000 messages for 10 minutes, then 0 (critical above 50,000).
    await writeFile(
      join(dir, 'clickstream.test.yml'),
      stringify({
        rule_files: ['clickstream.yml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [
              {
                series:
                  'streaming_pipeline_lag_messages{pipeline="clickstream"}',
                values: '60000x10 0x10',
              },
            ],
            alert_rule_test: [
              {
                eval_time: '4m',
                alertname: 'ClickstreamLagMessages',
                exp_alerts: [],
              },
              {
                eval_time: '6m',
                alertname: 'ClickstreamLagMessages',
                exp_alerts: lagRules.map(r => ({
                  exp_labels: r.labels,
                  exp_annotations: r.annotations,
                })),
              },
              {
                eval_time: '13m',
                alertname: 'ClickstreamLagMessages',
                exp_alerts: [],
              },
            ],
          },
        ],
      }),
    );
    const result = await promtool(
      ['test', 'rules', 'clickstream.test.yml'],
      dir,
    );
    expect(result.stdout).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it("an environment's lag alert fires on its own series only, naming the environment", async () => {
    const names = ['dev', 'prod'].map(e => `matrix-environments in ${e}`);
    expect(cases.map(c => c.name)).toEqual(expect.arrayContaining(names));
    const [dev, prod] = names.map(n => cases.find(c => c.name === n)!.rule);
    const lagRules = (
      dev.spec.groups[0].rules as Array<{
        alert: string;
        labels: Record<string, string>;
        annotations: Record<string, string>;
      }>
    ).filter(r => r.alert === 'MatrixEnvironmentsLagSeconds');
    await writeFile(
      join(dir, 'environments.yml'),
      stringify({ groups: [...dev.spec.groups, ...prod.spec.groups] }),
    );
    // 1,000 s behind in dev (critical above 900 there); prod, whose
    // threshold is 120 s, is not behind.
    const series = (environment: string | null, values: string) => ({
      series: `streaming_pipeline_lag_seconds{pipeline="matrix-environments"${
        environment ? `,environment="${environment}"` : ''
      }}`,
      values,
    });
    await writeFile(
      join(dir, 'environments.test.yml'),
      stringify({
        rule_files: ['environments.yml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [
              series('dev', '1000x10'),
              series('prod', '0x10'),
              // A series of the pipeline without environment is no environment's.
              series(null, '5000x10'),
            ],
            alert_rule_test: [
              {
                eval_time: '6m',
                alertname: 'MatrixEnvironmentsLagSeconds',
                exp_alerts: lagRules.map(r => ({
                  exp_labels: r.labels,
                  exp_annotations: r.annotations,
                })),
              },
            ],
          },
        ],
      }),
    );
    const result = await promtool(
      ['test', 'rules', 'environments.test.yml'],
      dir,
    );
    expect(result.stdout).toContain('SUCCESS');
    expect(result.code).toBe(0);
    expect(lagRules.map(r => r.labels.severity)).toEqual([
      'warning',
      'critical',
    ]);
    expect(lagRules[1].labels).toEqual({
      severity: 'critical',
      pipeline: 'matrix-environments',
      environment: 'dev',
      channel: 'slack',
    });
  });
});
