import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import { renderPipeline } from '../renderPipeline';
import { runRepoScript } from '@internal/plugin-streaming-node/testUtils';

// Real data has columns named like JavaScript object properties. The spec
// keeps their rename, cast and filter, and the generated job's transform()
// applies them in Spark (local mode, on a batch DataFrame).
jest.setTimeout(10 * 60_000);

const specText = `
pipeline:
  name: property-named-columns
  owner: group:default/team-data
  source:
    type: kafka
    topic: odd-columns
    fields:
      - { name: __proto__, type: string }
      - { name: constructor, type: string }
      - { name: toString, type: string }
      - { name: valueOf, type: string }
      - { name: hasOwnProperty, type: string }
  transformations:
    - type: filter
      condition: "constructor != 'skip' AND __proto__ IS NOT NULL"
    - type: cast
      columns: { toString: int }
    - type: rename
      columns: { __proto__: proto, constructor: ctor }
    - type: drop
      columns: [valueOf]
  sink:
    type: delta
    path: /data/delta/property_named_columns
    checkpoint: /checkpoints/property-named-columns
`;

const driver = `
import importlib.util, json, sys
from pyspark.sql import SparkSession, types as T

spec = importlib.util.spec_from_file_location("job", sys.argv[1])
job = importlib.util.module_from_spec(spec)
spec.loader.exec_module(job)
spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
schema = T.StructType([T.StructField(n, T.StringType()) for n in ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"]])
rows = [("p1", "keep", "7", "v", "h1"), ("p2", "skip", "8", "v", "h2"), (None, "keep", "9", "v", "h3")]
out = job.transform(spark, spark.createDataFrame(rows, schema))
print("RESULT " + json.dumps({
    "columns": [[f.name, f.dataType.simpleString()] for f in out.schema.fields],
    "rows": [r.asDict() for r in out.collect()],
}))
spark.stop()
`;

describe('columns named like JavaScript object properties (local Spark)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'property-named-columns-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are renamed, cast, filtered and dropped by the generated job', async () => {
    const parsed = parsePipelineSpec(specText);
    expect(parsed.errors).toEqual([]);
    // The job's folder: main.py and the streaming_runtime package it imports.
    for (const file of renderPipeline(parsed.spec!)) {
      if (file.path.startsWith('job/')) {
        const path = join(dir, file.path.slice('job/'.length));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.content);
      }
    }
    writeFileSync(join(dir, 'driver.py'), driver);
    const stdout = await runRepoScript('spark.sh', [
      'python',
      join(dir, 'driver.py'),
      join(dir, 'main.py'),
    ]);
    const line = stdout.split('\n').find(l => l.startsWith('RESULT '));
    expect(JSON.parse(line!.slice('RESULT '.length))).toEqual({
      columns: [
        ['proto', 'string'],
        ['ctor', 'string'],
        ['toString', 'int'],
        ['hasOwnProperty', 'string'],
      ],
      rows: [{ proto: 'p1', ctor: 'keep', toString: 7, hasOwnProperty: 'h1' }],
    });
  });
});
