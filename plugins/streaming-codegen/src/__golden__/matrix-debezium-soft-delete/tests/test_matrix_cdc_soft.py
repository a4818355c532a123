# Generated from pipeline.yaml by the streaming platform: change the spec and render
# again rather than editing this file.
"""Tests of the pipeline's job on a local Spark session, with records derived from its schema."""

import pytest
from pyspark.sql import functions as F

import main
from pipeline_samples import (
    JUNK,
    as_text,
    expected_text,
    json_records,
    kafka_records,
    kinds_mismatch,
    run_stream,
    sample_row,
    text_rows,
)
from streaming_runtime.sinks import delta_merge


def test_valid_records_decode_to_the_schema(spark):
    decoded = main.decode_records(json_records(spark, [{"before": None, "after": sample_row(main.ROW_SCHEMA), "op": "c", "ts_ms": 1}]))
    assert decoded.columns == [f.name for f in main.ROW_SCHEMA.fields] + ["__op", "__source_ts_ms", "__kafka_offset"]
    expected = expected_text(main.ROW_SCHEMA)
    assert as_text(decoded, list(expected)) == [expected]
    assert as_text(decoded, ["__op", "__kafka_offset"]) == [{"__op": "c", "__kafka_offset": "0"}]


def test_nulls_flow_on_in_optional_fields_and_dead_letter_the_record_in_required_ones(spark):
    optional = [f.name for f in main.ROW_SCHEMA.fields if f.nullable]
    required = [f.name for f in main.ROW_SCHEMA.fields if not f.nullable]
    row = {**sample_row(main.ROW_SCHEMA), **{name: None for name in optional}}
    decoded = main.decode_records(json_records(spark, [{"before": None, "after": row, "op": "c", "ts_ms": 1}]))
    assert [r.asDict() for r in decoded.select(*optional).collect()] == [{name: None for name in optional}]
    nulls = json_records(spark, [{"before": None, "after": {f.name: None for f in main.ROW_SCHEMA.fields}, "op": "c", "ts_ms": 1}])
    assert main.decode_records(nulls).count() == (0 if required else 1)
    missing = "; ".join("missing required field " + n + " in after" for n in required)
    errors = ["does not match the schema: " + missing]
    assert [r.error for r in main.dead_letter_records(nulls).collect()] == (errors if required else [])


def test_junk_goes_to_the_dead_letter_target_with_its_error(spark):
    # Records that do not parse are left out (counted as dead_letter_records in progress events).
    records = kafka_records(spark, JUNK + [None])
    assert main.decode_records(records).count() == 0
    bad = main.dead_letter_records(records).orderBy("offset").collect()
    assert [(bytes(r.value).decode(), r.offset) for r in bad] == [(v, i) for i, v in enumerate(JUNK)]
    assert all(r.error.startswith("malformed JSON") for r in bad)


def test_transformations_give_the_columns_of_the_spec(spark, tmp_path):
    records = json_records(spark, [{"before": None, "after": sample_row(main.ROW_SCHEMA, 1), "op": "c", "ts_ms": 1}, {"before": None, "after": sample_row(main.ROW_SCHEMA, 2), "op": "c", "ts_ms": 1}])
    mode = main.SINK_OPTIONS.get("output_mode", "append")
    out, _ = run_stream(spark, [records], lambda df: main.transform(spark, main.decode_records(df)), mode, tmp_path)
    assert out.columns


def test_step_0_filter_keeps_and_drops_the_right_rows(spark):
    """Rows that exercise the condition (its literals, other values, nulls); which it keeps is
    worked out by the generator from the spec, independently of the job's Column API code."""
    rows = [{"__op": "r"}, {"__op": "zz-none-of-them"}, {"__op": None}, {"__op": "r", "email": None}]
    keeps = [True, True, True, False]
    # A row with a null in a required field is a dead letter: it never reaches the filter.
    required = [f.name for f in main.ROW_SCHEMA.fields if not f.nullable]
    keeps = [k and all(row.get(n, "") is not None for n in required) for row, k in zip(rows, keeps, strict=True)]
    mismatch = kinds_mismatch(main.ROW_SCHEMA, {"__op": "string"})
    if mismatch:
        pytest.skip("the schema types of %s do not hold the condition's literals" % ", ".join(mismatch))
    records = [{"before": None, "after": {**sample_row(main.ROW_SCHEMA), **row}, "op": "c", "ts_ms": 1} for row in rows]
    out = main.step_0_filter(spark, main.decode_records(json_records(spark, records)))
    kept = main.decode_records(json_records(spark, [r for r, keep in zip(records, keeps, strict=True) if keep]))
    columns = [f.name for f in main.ROW_SCHEMA.fields]
    assert out.count() == sum(keeps)
    assert text_rows(out, columns) == text_rows(kept, columns)


def test_change_events_merge_into_the_table(spark, tmp_path):
    """Two inserts, an update of the first and a delete of the second: the deleted row is kept, marked _deleted."""
    keys = ["customer_id"]
    first, second = sample_row(main.ROW_SCHEMA, 1), sample_row(main.ROW_SCHEMA, 2)
    updated = {**sample_row(main.ROW_SCHEMA, 3), **{k: first[k] for k in keys}}
    events = [
        {"before": None, "after": first, "op": "c", "ts_ms": 1},
        {"before": None, "after": second, "op": "c", "ts_ms": 2},
        {"before": first, "after": updated, "op": "u", "ts_ms": 3},
        {"before": second, "after": None, "op": "d", "ts_ms": 4},
    ]
    batch = main.transform(spark, main.decode_records(json_records(spark, events)))
    path = str(tmp_path / "table")
    options = {k: v for k, v in main.SINK_OPTIONS.items() if k != "output_mode"}
    delta_merge.merge_batch(batch, 0, path, "test", **options)
    table = spark.read.format("delta").load(path)
    columns = [c for c in table.columns if c != "_deleted"]
    expected = main.transform(spark, main.decode_records(json_records(spark, [events[2]])))
    kept = main.transform(spark, main.decode_records(json_records(spark, [events[1]])))
    order = [F.col(c) for c in keys]
    assert as_text(table.orderBy(*order), columns) == as_text(expected.unionByName(kept).orderBy(*order), columns)
    assert as_text(table.orderBy(*order), ["_deleted"]) == [{"_deleted": "false"}, {"_deleted": "true"}]


def test_a_replayed_batch_changes_nothing(spark, tmp_path):
    events = [{"before": None, "after": sample_row(main.ROW_SCHEMA, 1), "op": "c", "ts_ms": 1}]
    batch = main.transform(spark, main.decode_records(json_records(spark, events)))
    path = str(tmp_path / "table")
    options = {k: v for k, v in main.SINK_OPTIONS.items() if k != "output_mode"}
    delta_merge.merge_batch(batch, 7, path, "test", **options)
    version = spark.sql("DESCRIBE HISTORY delta.`" + path + "`").agg(F.max("version")).first()[0]
    delta_merge.merge_batch(batch, 7, path, "test", **options)
    assert spark.sql("DESCRIBE HISTORY delta.`" + path + "`").agg(F.max("version")).first()[0] == version
