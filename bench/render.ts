/**
 * Render throughput: 1,000 varied pipeline specs through the generator.
 *
 * The specs vary the examples and the option matrix (names, topics, filter
 * conditions of growing size, metrics, sinks, resources). The baseline,
 * measured in the same run on the same specs, is validation alone
 * (parsePipelineSpec on the YAML text); then rendering alone
 * (renderPipeline on validated specs) and both together. Each round of
 * those goes through the same specs again, so what the process remembers
 * across specs (each distinct YAML scalar, each parsed expression) is
 * warm; the last line validates and renders specs it has never seen (new
 * names, topics and thresholds every round), as a repository is rendered
 * for the first time. Prints specs per second in wall time and per
 * CPU-second of the process (the steadier figure on a shared machine), and
 * the ratios to the baseline in both.
 *
 * Run from the repository root:
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/render.ts [--specs 1000] [--rounds 3]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import {
  PipelineSpec,
  parsePipelineSpec,
} from '../plugins/streaming-common/src';
import { renderPipeline, toYaml } from '../plugins/streaming-codegen/src';
import { benchOptions } from './lib/benchOptions';

const root = path.resolve(__dirname, '..');
const templates: PipelineSpec[] = [
  ...fs
    .readdirSync(path.join(root, 'examples/pipelines'))
    .map(n => path.join(root, 'examples/pipelines', n, 'pipeline.yaml'))
    // Only the example directories that hold a spec (a stray empty one is
    // not an example).
    .filter(file => fs.existsSync(file)),
  ...fs
    .readdirSync(
      path.join(root, 'plugins/streaming-codegen/src/__fixtures__/specs'),
    )
    .map(f =>
      path.join(root, 'plugins/streaming-codegen/src/__fixtures__/specs', f),
    ),
]
  .sort()
  .map(file => {
    const result = parsePipelineSpec(fs.readFileSync(file, 'utf8'));
    if (!result.spec) {
      throw new Error(`${file} is not valid`);
    }
    return result.spec;
  });

/** The i-th varied spec, as YAML text. */
function variant(i: number): string {
  const spec = structuredClone(templates[i % templates.length]);
  const p = spec.pipeline;
  p.name = `${p.name.slice(0, 20)}-${i}`;
  if (p.source.type !== 'delta') {
    p.source.topic = `${p.source.topic}-${i % 97}`;
  }
  p.sink.checkpoint = `${p.sink.checkpoint}-${i}`;
  const filter = p.transformations.find(t => t.type === 'filter');
  if (filter && filter.type === 'filter') {
    const extra = Array.from(
      { length: i % 12 },
      (_, j) =>
        `(length(trim('v${j}')) BETWEEN ${j} AND ${
          j + i
        } OR 'x${j}' IN ('a', 'b''c', 'x${j}'))`,
    );
    filter.condition = [filter.condition, ...extra].join(' AND ');
  }
  p.resources = {
    driver: { cores: 1 + (i % 3), memory: `${2 + (i % 4)}g` },
    executor: {
      cores: 1 + (i % 4),
      memory: `${1024 * (1 + (i % 8))}m`,
      instances: 1 + (i % 5),
      max_instances: 6 + (i % 10),
    },
  };
  p.monitoring = {
    alert_on_lag: 30 + (i % 300),
    alert_on_lag_messages: 1000 * (1 + (i % 50)),
    alert_channel: i % 2 ? 'slack' : 'pagerduty',
  };
  p.description = `Variant ${i} of ${
    templates[i % templates.length].pipeline.name
  }.`;
  return stringify(spec);
}

/** Specs per second of a measurement: in wall time and per CPU-second. */
interface Rate {
  wall: number;
  cpu: number;
}

/**
 * Best of `rounds` runs after a warm-up run, in wall time and in the
 * process's CPU time (on a shared machine the CPU time is the steadier
 * figure). `fn` gets the run's number: 0 is the warm-up.
 */
function measure(
  label: string,
  rounds: number,
  count: number,
  fn: (run: number) => void,
): Rate {
  fn(0);
  let best = Infinity;
  let bestCpu = Infinity;
  for (let r = 1; r <= rounds; r++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    fn(r);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
  }
  const rate = { wall: count / best, cpu: count / bestCpu };
  process.stdout.write(
    `${label.padEnd(26)} ${rate.wall
      .toFixed(0)
      .padStart(8)} specs/s  (best of ${rounds}: ${(best * 1000).toFixed(
      0,
    )} ms for ${count}; ${rate.cpu.toFixed(0)} per CPU-second)\n`,
  );
  return rate;
}

/** `rate` against `baseline`, in wall time and per CPU-second. */
const ratio = (rate: Rate, baseline: Rate) =>
  `${(rate.wall / baseline.wall).toFixed(2)}x (CPU ${(
    rate.cpu / baseline.cpu
  ).toFixed(2)}x)`;

function main() {
  const options = benchOptions({ specs: 1000, rounds: 3 });
  const count = options.specs;
  const rounds = options.rounds;
  const texts = Array.from({ length: count }, (_, i) => variant(i));
  const specs = texts.map((text, i) => {
    const result = parsePipelineSpec(text);
    if (!result.spec) {
      throw new Error(
        `variant ${i} is not valid: ${JSON.stringify(result.errors[0])}`,
      );
    }
    return result.spec;
  });
  let files = 0;
  let bytes = 0;
  /** The values of every generated YAML document, for the serializer run. */
  const yamlValues: unknown[] = [];
  for (const spec of specs) {
    for (const file of renderPipeline(spec)) {
      files++;
      bytes += file.content.length;
      if (/\.ya?ml$/.test(file.path)) {
        for (const doc of parseAllDocuments(file.content)) {
          yamlValues.push((doc as { toJS(): unknown }).toJS());
        }
      }
    }
  }
  process.stdout.write(
    `${count} specs from ${templates.length} templates; ${files} files, ${(
      bytes / 1e6
    ).toFixed(1)} MB generated per pass\n`,
  );
  const validate = measure('validate (baseline)', rounds, count, () => {
    for (const text of texts) {
      parsePipelineSpec(text);
    }
  });
  const render = measure('render', rounds, count, () => {
    for (const spec of specs) {
      renderPipeline(spec);
    }
  });
  const both = measure('validate + render', rounds, count, () => {
    for (const text of texts) {
      renderPipeline(parsePipelineSpec(text).spec!);
    }
  });
  // Specs never seen before: run r takes variants r * count and on (their
  // names, topics and thresholds differ from every earlier run's), made
  // before the clock starts.
  const fresh = Array.from({ length: rounds + 1 }, (_, r) =>
    Array.from({ length: count }, (_, i) => variant((r + 1) * count + i)),
  );
  const first = measure('validate + render, new', rounds, count, run => {
    for (const text of fresh[run]) {
      renderPipeline(parsePipelineSpec(text).spec!);
    }
  });
  // The generator's YAML writer against the yaml library's stringify (its
  // output, byte for byte) on the same documents.
  const library = measure('YAML: yaml library', rounds, count, () => {
    for (const value of yamlValues) {
      stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
    }
  });
  const ours = measure('YAML: toYaml', rounds, count, () => {
    for (const value of yamlValues) {
      toYaml(value);
    }
  });
  process.stdout.write(
    `YAML of ${yamlValues.length} documents: toYaml ${ratio(
      ours,
      library,
    )} the library's speed\n`,
  );
  process.stdout.write(
    `ratios to the baseline: render ${ratio(
      render,
      validate,
    )}, validate + render ${ratio(both, validate)}, new specs ${ratio(
      first,
      validate,
    )}\n`,
  );
}

main();
