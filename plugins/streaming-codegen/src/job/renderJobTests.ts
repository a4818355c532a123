import {
  CDC_COLUMNS,
  PipelineSpec,
  outputColumns,
} from '@internal/plugin-streaming-common';
import { pyValue } from '../python/pyLiteral';
import { checksRequiredFields } from './tests/checksRequiredFields';
import { renderStepTests } from './tests/renderStepTests';
import { sampledAsJson } from './tests/sampledAsJson';

/** `from module import names`, wrapped one name a line when longer than ruff's 120 characters. */
function importLine(module: string, names: string[]): string {
  const line = `from ${module} import ${names.join(', ')}`;
  return line.length <= 120
    ? line
    : [`from ${module} import (`, ...names.map(n => `    ${n},`), ')'].join(
        '\n',
      );
}

/** The generated test module's name: `test_<pipeline name in snake case>.py`. */
export function jobTestsPath(spec: PipelineSpec): string {
  return `tests/test_${spec.pipeline.name.replace(/-/g, '_')}.py`;
}

function sourceTests(spec: PipelineSpec): string[] {
  const { source } = spec.pipeline;
  if (!sampledAsJson(spec)) {
    return [];
  }
  const cdc = source.type === 'debezium';
  const envelope = (row: string, op: string) =>
    `{"before": None, "after": ${row}, "op": "${op}", "ts_ms": 1}`;
  const one = cdc
    ? envelope('sample_row(main.ROW_SCHEMA)', 'c')
    : 'sample_row(main.ROW_SCHEMA)';
  const nulls = cdc
    ? envelope('{f.name: None for f in main.ROW_SCHEMA.fields}', 'c')
    : '{f.name: None for f in main.ROW_SCHEMA.fields}';
  return [
    'def test_valid_records_decode_to_the_schema(spark):',
    `    decoded = main.decode_records(json_records(spark, [${one}]))`,
    `    assert decoded.columns == [f.name for f in main.ROW_SCHEMA.fields]${
      cdc ? ` + ${pyValue([...CDC_COLUMNS])}` : ''
    }`,
    '    expected = expected_text(main.ROW_SCHEMA)',
    '    assert as_text(decoded, list(expected)) == [expected]',
    ...(cdc
      ? [
          '    assert as_text(decoded, ["__op", "__kafka_offset"]) == [{"__op": "c", "__kafka_offset": "0"}]',
        ]
      : []),
    '',
    '',
    ...(checksRequiredFields(spec)
      ? requiredFieldsTest(cdc)
      : [
          'def test_nulls_flow_on_as_nulls(spark):',
          `    decoded = main.decode_records(json_records(spark, [${nulls}]))`,
          '    assert [row.asDict() for row in decoded.select(*[f.name for f in main.ROW_SCHEMA.fields]).collect()] == [',
          '        {f.name: None for f in main.ROW_SCHEMA.fields}',
          '    ]',
        ]),
    '',
    '',
    ...junkTest(spec),
  ];
}

/**
 * Nulls in optional fields flow on; a null in a required field makes the
 * record a dead letter (for change events: in their after image).
 */
function requiredFieldsTest(cdc: boolean): string[] {
  const record = (row: string) =>
    cdc ? `{"before": None, "after": ${row}, "op": "c", "ts_ms": 1}` : row;
  return [
    'def test_nulls_flow_on_in_optional_fields_and_dead_letter_the_record_in_required_ones(spark):',
    '    optional = [f.name for f in main.ROW_SCHEMA.fields if f.nullable]',
    '    required = [f.name for f in main.ROW_SCHEMA.fields if not f.nullable]',
    '    row = {**sample_row(main.ROW_SCHEMA), **{name: None for name in optional}}',
    `    decoded = main.decode_records(json_records(spark, [${record(
      'row',
    )}]))`,
    '    assert [r.asDict() for r in decoded.select(*optional).collect()] == [{name: None for name in optional}]',
    `    nulls = json_records(spark, [${record(
      '{f.name: None for f in main.ROW_SCHEMA.fields}',
    )}])`,
    '    assert main.decode_records(nulls).count() == (0 if required else 1)',
    `    missing = "; ".join("missing required field " + n${
      cdc ? ' + " in after"' : ''
    } for n in required)`,
    '    errors = ["does not match the schema: " + missing]',
    '    assert [r.error for r in main.dead_letter_records(nulls).collect()] == (errors if required else [])',
  ];
}

/** What becomes of records that do not parse: dead-lettered, skipped (CDC) or rows of nulls. */
function junkTest(spec: PipelineSpec): string[] {
  if (spec.pipeline.dead_letter) {
    return [
      'def test_junk_goes_to_the_dead_letter_target_with_its_error(spark):',
      '    # Records that do not parse are left out (counted as dead_letter_records in progress events).',
      '    records = kafka_records(spark, JUNK + [None])',
      '    assert main.decode_records(records).count() == 0',
      '    bad = main.dead_letter_records(records).orderBy("offset").collect()',
      '    assert [(bytes(r.value).decode(), r.offset) for r in bad] == [(v, i) for i, v in enumerate(JUNK)]',
      '    assert all(r.error.startswith("malformed JSON") for r in bad)',
    ];
  }
  if (spec.pipeline.source.type === 'debezium') {
    return [
      'def test_junk_and_tombstones_are_skipped(spark):',
      '    # Junk has no change operation; a tombstone (null value) is no record.',
      '    assert main.decode_records(kafka_records(spark, JUNK + [None])).count() == 0',
    ];
  }
  return [
    'def test_junk_becomes_rows_of_nulls(spark):',
    '    # Records that do not parse flow on as rows of nulls (counted as bad_records in progress events).',
    '    rows = main.decode_records(kafka_records(spark, JUNK + [None])).collect()',
    '    assert [set(row.asDict().values()) for row in rows] == [{None}] * len(JUNK)',
  ];
}

function transformTest(
  spec: PipelineSpec,
  columns: string[] | undefined,
): string[] {
  const { source } = spec.pipeline;
  if (!sampledAsJson(spec)) {
    return [];
  }
  const cdc = source.type === 'debezium';
  const row = (seed: number) =>
    cdc
      ? `{"before": None, "after": sample_row(main.ROW_SCHEMA, ${seed}), "op": "c", "ts_ms": 1}`
      : `sample_row(main.ROW_SCHEMA, ${seed})`;
  return [
    'def test_transformations_give_the_columns_of_the_spec(spark, tmp_path):',
    `    records = json_records(spark, [${row(1)}, ${row(2)}])`,
    '    mode = main.SINK_OPTIONS.get("output_mode", "append")',
    '    out, _ = run_stream(spark, [records], lambda df: main.transform(spark, main.decode_records(df)), mode, tmp_path)',
    columns
      ? `    assert out.columns == ${pyValue([
          ...columns,
          ...(cdc ? CDC_COLUMNS.filter(c => !columns.includes(c)) : []),
        ])}`
      : '    assert out.columns',
  ];
}

/**
 * The merge of change events: inserts, an update and a delete applied by
 * the shipped Delta merge to a real Delta table, with the spec's handling
 * of deletes.
 */
function mergeTest(spec: PipelineSpec): string[] {
  const { source, sink } = spec.pipeline;
  if (
    source.type !== 'debezium' ||
    sink.type !== 'delta' ||
    sink.mode !== 'merge'
  ) {
    return [];
  }
  const keys = sink.merge_keys ?? source.key;
  const survivors: Record<string, string> = {
    delete: 'only the updated row is left',
    soft_delete: 'the deleted row is kept, marked _deleted',
    ignore: 'the delete is ignored',
  };
  return [
    `def test_change_events_merge_into_the_table(spark, tmp_path):`,
    `    """Two inserts, an update of the first and a delete of the second: ${
      survivors[source.deletes]
    }."""`,
    `    keys = ${pyValue(keys)}`,
    '    first, second = sample_row(main.ROW_SCHEMA, 1), sample_row(main.ROW_SCHEMA, 2)',
    '    updated = {**sample_row(main.ROW_SCHEMA, 3), **{k: first[k] for k in keys}}',
    '    events = [',
    '        {"before": None, "after": first, "op": "c", "ts_ms": 1},',
    '        {"before": None, "after": second, "op": "c", "ts_ms": 2},',
    '        {"before": first, "after": updated, "op": "u", "ts_ms": 3},',
    '        {"before": second, "after": None, "op": "d", "ts_ms": 4},',
    '    ]',
    '    batch = main.transform(spark, main.decode_records(json_records(spark, events)))',
    '    path = str(tmp_path / "table")',
    '    options = {k: v for k, v in main.SINK_OPTIONS.items() if k != "output_mode"}',
    '    delta_merge.merge_batch(batch, 0, path, "test", **options)',
    '    table = spark.read.format("delta").load(path)',
    '    columns = [c for c in table.columns if c != "_deleted"]',
    '    expected = main.transform(spark, main.decode_records(json_records(spark, [events[2]])))',
    ...(source.deletes === 'delete'
      ? ['    assert as_text(table, columns) == as_text(expected, columns)']
      : [
          '    kept = main.transform(spark, main.decode_records(json_records(spark, [events[1]])))',
          '    order = [F.col(c) for c in keys]',
          '    assert as_text(table.orderBy(*order), columns) == as_text(expected.unionByName(kept).orderBy(*order), columns)',
          ...(source.deletes === 'soft_delete'
            ? [
                '    assert as_text(table.orderBy(*order), ["_deleted"]) == [{"_deleted": "false"}, {"_deleted": "true"}]',
              ]
            : []),
        ]),
    '',
    '',
    'def test_a_replayed_batch_changes_nothing(spark, tmp_path):',
    '    events = [{"before": None, "after": sample_row(main.ROW_SCHEMA, 1), "op": "c", "ts_ms": 1}]',
    '    batch = main.transform(spark, main.decode_records(json_records(spark, events)))',
    '    path = str(tmp_path / "table")',
    '    options = {k: v for k, v in main.SINK_OPTIONS.items() if k != "output_mode"}',
    '    delta_merge.merge_batch(batch, 7, path, "test", **options)',
    '    version = spark.sql("DESCRIBE HISTORY delta.`" + path + "`").agg(F.max("version")).first()[0]',
    '    delta_merge.merge_batch(batch, 7, path, "test", **options)',
    '    assert spark.sql("DESCRIBE HISTORY delta.`" + path + "`").agg(F.max("version")).first()[0] == version',
  ];
}

/** What the tests may import from `pipeline_samples`, in import order. */
const SAMPLES = [
  'JUNK',
  'MICROS',
  'SAMPLE_DAY_MICROS',
  'as_text',
  'collect_with_micros',
  'comparable',
  'expected_aggregates',
  'expected_text',
  'json_records',
  'kafka_records',
  'kinds_mismatch',
  'run_stream',
  'sample_row',
  'text_rows',
];
/** Each of {@link SAMPLES} as a whole word, found in one pass over the code. */
const SAMPLE_NAMES = new RegExp(`\\b(?:${SAMPLES.join('|')})\\b`, 'g');

/** The first lines of every test file, joined once at module load. */
const HEADER = [
  '# Generated from pipeline.yaml by the streaming platform: change the spec and render',
  '# again rather than editing this file.',
  '"""Tests of the pipeline\'s job on a local Spark session, with records derived from its schema."""',
  '',
].join('\n');

/**
 * The pipeline's pytest tests (`tests/test_<name>.py`): its source's
 * decoding of sample records derived from the row schema (valid records,
 * nulls, junk), its transformations on a batch DataFrame (the columns the
 * spec says come out), and for change events the Delta merge of inserts,
 * updates and deletes. They run on a local SparkSession (tests/conftest.py).
 * Undefined when the source cannot be sampled here (`sampledAsJson`).
 * `columns` is the spec's `outputColumns`, when the caller has it already.
 */
export function renderJobTests(
  spec: PipelineSpec,
  columns: string[] | undefined = outputColumns(spec),
): string | undefined {
  const merge = mergeTest(spec);
  const sections = [
    sourceTests(spec),
    transformTest(spec, columns),
    ...renderStepTests(spec),
    merge,
  ]
    .filter(s => s.length > 0)
    .map(s => s.join('\n'));
  if (sections.length === 0) {
    return undefined;
  }
  const code = sections.join('\n\n\n');
  const used = new Set(Array.from(code.matchAll(SAMPLE_NAMES), m => m[0]));
  const samples = SAMPLES.filter(name => used.has(name));
  const thirdParty = [
    ...(/\bpytest\./.test(code) ? ['import pytest'] : []),
    ...(code.includes('F.') ? ['from pyspark.sql import functions as F'] : []),
  ];
  if (thirdParty.length > 0) {
    thirdParty.push('');
  }
  const header = [
    HEADER,
    ...thirdParty,
    'import main',
    importLine('pipeline_samples', samples),
    ...(merge.length > 0
      ? ['from streaming_runtime.sinks import delta_merge']
      : []),
  ].join('\n');
  return `${header}\n\n\n${code}\n`;
}
