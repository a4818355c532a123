import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { repoRoot } from './__testUtils__/goldenCases';

const read = (...parts: string[]) =>
  readFileSync(join(repoRoot, ...parts), 'utf8');

describe("the examples' alert rules", () => {
  it("link every alert to its section of the pipeline's runbook in the local app", () => {
    const appBaseUrl: string = parse(read('app-config.yaml')).app.baseUrl;
    const examples = readdirSync(join(repoRoot, 'examples/pipelines')).sort();
    expect(examples).toHaveLength(5);
    for (const name of examples) {
      const dir = join('examples/pipelines', name);
      const entity = parse(read(dir, 'catalog-info.yaml'));
      expect(
        entity.metadata.annotations['backstage.io/techdocs-ref'],
      ).toBeDefined();
      // TechDocs serves docs/runbook.md of the entity at .../runbook/.
      const runbook = `${appBaseUrl}/docs/${
        entity.metadata.namespace ?? 'default'
      }/component/${entity.metadata.name}/runbook/`;
      const anchors = [
        ...read(dir, 'docs/runbook.md').matchAll(/^## .* \{#([a-z-]+)\}$/gm),
      ].map(m => m[1]);
      const rules = parse(read(dir, 'deploy/prometheus-rule.yaml')).spec
        .groups[0].rules as Array<{
        alert: string;
        annotations: { runbook_url?: string };
      }>;
      expect(rules.length).toBeGreaterThanOrEqual(3);
      for (const rule of rules) {
        const url = rule.annotations.runbook_url ?? '';
        const [page, anchor] = url.split('#');
        expect([name, rule.alert, page]).toEqual([name, rule.alert, runbook]);
        expect(anchors).toContain(anchor);
        // A lag alert leads to the lag section, a stale one to the stale section.
        expect(anchor).toBe(/Stale$/.test(rule.alert) ? 'stale' : 'lag');
      }
    }
  });
});
