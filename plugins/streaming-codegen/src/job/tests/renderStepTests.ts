import {
  PipelineSpec,
  PipelineTransformation,
  parseDuration,
  parseExpression,
} from '@internal/plugin-streaming-common';
import { pyStr, pyValue } from '../../python/pyLiteral';
import { stepFunction } from '../renderTransform';
import { checksRequiredFields } from './checksRequiredFields';
import { FilterSamples, filterSamples } from './filterSamples';
import { sampledAsJson } from './sampledAsJson';

/** Records of a sample row (with overrides) in the source's format: a JSON row or a Debezium insert. */
function recordOf(spec: PipelineSpec, row: string): string {
  return spec.pipeline.source.type === 'debezium'
    ? `{"before": None, "after": ${row}, "op": "c", "ts_ms": 1}`
    : row;
}

/** The first filter, when only watermarks come before it, with its sample rows. */
type FirstFilter = { index: number; samples: FilterSamples } | undefined;

function firstFilter(spec: PipelineSpec): FirstFilter {
  const { transformations } = spec.pipeline;
  for (const [index, step] of transformations.entries()) {
    if (step.type === 'filter') {
      const samples = filterSamples(
        parseExpression(step.condition, 'condition'),
      );
      return samples && { index, samples };
    }
    if (step.type !== 'watermark') {
      return undefined;
    }
  }
  return undefined;
}

function filterTest(spec: PipelineSpec, filter: FirstFilter): string[] {
  if (!filter) {
    return [];
  }
  const { index, samples } = filter;
  const step = spec.pipeline.transformations[index];
  const name = stepFunction(index, step);
  return [
    `def test_${name}_keeps_and_drops_the_right_rows(spark):`,
    '    """Rows that exercise the condition (its literals, other values, nulls); which it keeps is',
    '    worked out by the generator from the spec, independently of the job\'s Column API code."""',
    `    rows = ${pyValue(samples.rows)}`,
    `    keeps = ${pyValue(samples.keep)}`,
    ...(checksRequiredFields(spec)
      ? [
          '    # A row with a null in a required field is a dead letter: it never reaches the filter.',
          '    required = [f.name for f in main.ROW_SCHEMA.fields if not f.nullable]',
          '    keeps = [k and all(row.get(n, "") is not None for n in required) for row, k in zip(rows, keeps, strict=True)]',
        ]
      : []),
    `    mismatch = kinds_mismatch(main.ROW_SCHEMA, ${pyValue(samples.kinds)})`,
    '    if mismatch:',
    '        pytest.skip("the schema types of %s do not hold the condition\'s literals" % ", ".join(mismatch))',
    `    records = [${recordOf(
      spec,
      '{**sample_row(main.ROW_SCHEMA), **row}',
    )} for row in rows]`,
    `    out = main.${name}(spark, main.decode_records(json_records(spark, records)))`,
    '    kept = main.decode_records(json_records(spark, [r for r, keep in zip(records, keeps, strict=True) if keep]))',
    '    columns = [f.name for f in main.ROW_SCHEMA.fields]',
    '    assert out.count() == sum(keeps)',
    '    assert text_rows(out, columns) == text_rows(kept, columns)',
  ];
}

/** An aggregate's metrics as (function, column or None, alias), when each is `fn(column)` or a count. */
function simpleMetrics(
  step: Extract<PipelineTransformation, { type: 'aggregate' }>,
): Array<[string, string | null, string]> | undefined {
  const functions: Record<string, string> = {
    sum: 'sum',
    min: 'min',
    max: 'max',
    avg: 'avg',
    mean: 'avg',
    approx_count_distinct: 'approx_count_distinct',
  };
  const metrics: Array<[string, string | null, string]> = [];
  for (const metric of step.metrics) {
    const [[text, alias]] = Object.entries(metric);
    const e = parseExpression(text, 'metric');
    if (e.kind !== 'call') return undefined;
    const name = e.name.toLowerCase();
    if (name === 'count' && (e.star || e.args.length === 0)) {
      metrics.push(['count', null, alias]);
    } else if (e.args.length === 1 && e.args[0].kind === 'column') {
      const fn = name === 'count' ? 'count_nonnull' : functions[name];
      if (!fn || e.args[0].name.includes('.')) return undefined;
      metrics.push([fn, e.args[0].name, alias]);
    } else {
      return undefined;
    }
  }
  return metrics;
}

function aggregateTest(spec: PipelineSpec, filter: FirstFilter): string[] {
  const { transformations } = spec.pipeline;
  const index = transformations.findIndex(t => t.type === 'aggregate');
  const step = transformations[index];
  if (
    !step ||
    step.type !== 'aggregate' ||
    !transformations
      .slice(0, index)
      .every(t => t.type === 'filter' || t.type === 'watermark') ||
    step.group_by.some(c => c.includes('.'))
  ) {
    return [];
  }
  const metrics = simpleMetrics(step);
  const watermark = transformations
    .slice(0, index)
    .find(t => t.type === 'watermark');
  const timeColumn =
    step.time_column ??
    (watermark?.type === 'watermark' ? watermark.column : undefined);
  if (!metrics || (step.window && !timeColumn)) {
    return [];
  }
  const window = step.window
    ? [
        timeColumn!,
        parseDuration(step.window)!.ms / 1000,
        parseDuration(step.slide ?? step.window)!.ms / 1000,
      ]
    : null;
  const keptRow = filter?.samples.rows[filter.samples.keep.indexOf(true)];
  const aggregate = stepFunction(index, step);
  const appendWithWatermark =
    window !== null && watermark?.type === 'watermark';
  const delay =
    watermark?.type === 'watermark'
      ? parseDuration(watermark.delay)!.ms / 1000
      : 0;
  return [
    `def test_${aggregate}_gives_the_expected_aggregates${
      appendWithWatermark ? '_and_drops_late_rows' : ''
    }(spark, tmp_path):`,
    '    """Sample rows in two groups spread over time; the expected aggregates are computed in plain',
    '    Python (pipeline_samples.expected_aggregates) from the rows that reach the aggregate."""',
    `    group_by = ${pyValue(step.group_by)}`,
    `    window = ${pyValue(window)}`,
    `    metrics = ${pyValue(metrics)}`,
    `    passing = ${pyValue(keptRow ?? {})}  # a row the filter keeps`,
    '    def row(seed, minutes):',
    '        values = {**sample_row(main.ROW_SCHEMA, seed), **{c: sample_row(main.ROW_SCHEMA, seed % 2 + 1)[c] for c in group_by}}',
    ...(timeColumn
      ? [
          `        values[${pyStr(
            timeColumn,
          )}] = "2026-01-01T%02d:%02d:00Z" % divmod(minutes, 60)`,
        ]
      : []),
    '        return {**values, **passing}',
    '',
    `    rows = [${recordOf(
      spec,
      'row(seed, 3 * seed)',
    )} for seed in range(1, 9)]`,
    '    before = main.decode_records(json_records(spark, rows))',
    `    for step in main.STEPS[:${index}]:`,
    '        before = step(spark, before)',
    `    times = ${pyValue(timeColumn ? [timeColumn] : [])}`,
    '    expected = expected_aggregates(collect_with_micros(before, times), group_by, window, metrics)',
    '    assert expected, "no sample row reaches the aggregate"',
    '',
    '    def process(df):',
    '        df = main.decode_records(df)',
    `        for step in main.STEPS[:${index + 1}]:`,
    '            df = step(spark, df)',
    '        return df',
    '',
    '    mode = main.SINK_OPTIONS.get("output_mode", "append")',
    ...(appendWithWatermark
      ? [
          `    # A row far ahead moves the watermark (${delay} s behind the latest event) past every`,
          '    # window of the rows; then a row a day late must be dropped, and a later row moves it on.',
          '    batches = [',
          `        json_records(spark, rows + [${recordOf(
            spec,
            'row(1, 600)',
          )}]),`,
          `        json_records(spark, [${recordOf(
            spec,
            `{**row(1, 0), ${pyStr(timeColumn!)}: "2025-12-31T00:00:00Z"}`,
          )}]),`,
          `        json_records(spark, [${recordOf(spec, 'row(1, 1200)')}]),`,
          '    ]',
          '    out, progress = run_stream(spark, batches, process, mode, tmp_path)',
          '    dropped = sum(op.get("numRowsDroppedByWatermark", 0) for p in progress for op in p["stateOperators"])',
          '    assert dropped >= 1',
          '    got = comparable(collect_with_micros(out, ["window_start", "window_end"]))',
          `    watermark = SAMPLE_DAY_MICROS + (10 * 3600 - ${delay}) * MICROS`,
          '    # Every window the watermark closed before the late row is there, as computed.',
          '    closed = [e for e in comparable(expected) if e["window_end"] <= watermark]',
          '    assert closed and [g for g in got if g["window_end"] <= watermark] == closed',
        ]
      : [
          '    out, _ = run_stream(spark, [json_records(spark, rows)], process, mode, tmp_path)',
          `    got = comparable(collect_with_micros(out, ${pyValue(
            window ? ['window_start', 'window_end'] : [],
          )}))`,
          '    assert got == comparable(expected)',
        ]),
  ];
}

function deduplicateTest(spec: PipelineSpec): string[] {
  const { transformations } = spec.pipeline;
  const index = transformations.findIndex(t => t.type === 'deduplicate');
  const step = transformations[index];
  if (!step || step.type !== 'deduplicate') {
    return [];
  }
  const name = stepFunction(index, step);
  return [
    `def test_${name}_drops_duplicates(spark, tmp_path):`,
    '    """The rows that reach the step, each twice: one of each pair comes out."""',
    '    records = json_records(spark, ' +
      `[${recordOf(
        spec,
        'sample_row(main.ROW_SCHEMA, seed)',
      )} for seed in (1, 2)])`,
    '',
    '    def before(df):',
    '        df = main.decode_records(df)',
    `        for step in main.STEPS[:${index}]:`,
    '            df = step(spark, df)',
    '        return df',
    '',
    '    once, _ = run_stream(spark, [records], before, "append", tmp_path / "once")',
    '    twice, _ = run_stream(',
    '        spark,',
    '        [records.union(records)],',
    `        lambda df: main.${name}(spark, before(df)),`,
    '        "append",',
    '        tmp_path / "twice",',
    '    )',
    `    keys = ${pyValue(step.columns)}`,
    '    assert twice.count() == once.select(*keys).distinct().count()',
    '    assert twice.select(*keys).distinct().count() == twice.count()',
  ];
}

/** Tests of the spec's steps: filters, the aggregate (with late rows), deduplication. */
export function renderStepTests(spec: PipelineSpec): string[][] {
  if (!sampledAsJson(spec)) {
    return [];
  }
  // Its sample rows feed the filter's test and the aggregate's passing row.
  const filter = firstFilter(spec);
  return [
    filterTest(spec, filter),
    aggregateTest(spec, filter),
    deduplicateTest(spec),
  ].filter(lines => lines.length > 0);
}
