import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import {
  parsePipelineSpec,
  PIPELINE_METRICS,
} from '@internal/plugin-streaming-common';
import { goldenCases, repoRoot } from '../__testUtils__/goldenCases';
import { renderPipeline } from '../renderPipeline';
import { pipelineDashboard, platformDashboard } from './renderGrafanaDashboard';

/** The platform dashboard, generated next to the examples' manifests. */
const platformFile = join(
  repoRoot,
  'examples/dashboards/streaming-platform.json',
);

type Dashboard = {
  uid: string;
  panels: Array<{
    gridPos: { x: number; y: number; w: number; h: number };
    targets: Array<{ expr: string }>;
  }>;
};

const exprs = (d: Dashboard) =>
  d.panels.flatMap(p => p.targets.map(t => t.expr));

describe('Grafana dashboards', () => {
  const cases = goldenCases().map(c => parsePipelineSpec(c.specText).spec!);

  it('render one per pipeline next to its manifests, with stable distinct uids', () => {
    const uids = cases.map(spec => (pipelineDashboard(spec) as Dashboard).uid);
    expect(new Set(uids).size).toBe(
      new Set(cases.map(s => s.pipeline.name)).size,
    );
    for (const uid of uids) expect(uid.length).toBeLessThanOrEqual(40);
    const files = renderPipeline(cases[0]);
    const file = files.find(f => f.path === 'deploy/grafana-dashboard.json')!;
    expect(JSON.parse(file.content)).toEqual(pipelineDashboard(cases[0]));
  });

  it('query only exported metrics, each pipeline only its own series', () => {
    const names = new Set<string>(Object.values(PIPELINE_METRICS));
    for (const spec of cases) {
      const queries = exprs(pipelineDashboard(spec) as Dashboard);
      expect(queries.length).toBeGreaterThanOrEqual(7);
      for (const expr of queries) {
        const metrics = expr.match(/streaming_[a-z_]+/g) ?? [];
        expect(metrics.length).toBeGreaterThan(0);
        expect(metrics.filter(m => !names.has(m))).toEqual([]);
        expect(expr).toContain(
          `{pipeline=${JSON.stringify(spec.pipeline.name)}}`,
        );
      }
    }
    const platform = exprs(platformDashboard() as Dashboard);
    expect(platform.some(e => e.includes('sum by (owner)'))).toBe(true);
  });

  it('lay panels out without overlap', () => {
    for (const d of [
      platformDashboard(),
      ...cases.map(spec => pipelineDashboard(spec)),
    ] as Dashboard[]) {
      const cells = new Set<string>();
      for (const { gridPos: g } of d.panels) {
        expect(g.x + g.w).toBeLessThanOrEqual(24);
        for (let x = g.x; x < g.x + g.w; x++) {
          for (let y = g.y; y < g.y + g.h; y++) {
            expect(cells.has(`${x},${y}`)).toBe(false);
            cells.add(`${x},${y}`);
          }
        }
      }
    }
  });

  it('the platform dashboard file is the generated one (UPDATE_GOLDEN=1 rewrites it)', () => {
    const text = `${JSON.stringify(platformDashboard(), null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(dirname(platformFile), { recursive: true });
      writeFileSync(platformFile, text);
    }
    expect(existsSync(platformFile)).toBe(true);
    expect(readFileSync(platformFile, 'utf8')).toBe(text);
  });
});
