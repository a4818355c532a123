# Generated from pipeline.yaml by the streaming platform: change the spec and render
# again rather than editing this file.
"""Tests of the pipeline's job on a local Spark session, with records derived from its schema."""

import pytest

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


def test_valid_records_decode_to_the_schema(spark):
    decoded = main.decode_records(json_records(spark, [sample_row(main.ROW_SCHEMA)]))
    assert decoded.columns == [f.name for f in main.ROW_SCHEMA.fields]
    expected = expected_text(main.ROW_SCHEMA)
    assert as_text(decoded, list(expected)) == [expected]


def test_nulls_flow_on_as_nulls(spark):
    decoded = main.decode_records(json_records(spark, [{f.name: None for f in main.ROW_SCHEMA.fields}]))
    assert [row.asDict() for row in decoded.select(*[f.name for f in main.ROW_SCHEMA.fields]).collect()] == [
        {f.name: None for f in main.ROW_SCHEMA.fields}
    ]


def test_junk_becomes_rows_of_nulls(spark):
    # Records that do not parse flow on as rows of nulls (counted as bad_records in progress events).
    rows = main.decode_records(kafka_records(spark, JUNK + [None])).collect()
    assert [set(row.asDict().values()) for row in rows] == [{None}] * len(JUNK)


def test_transformations_give_the_columns_of_the_spec(spark, tmp_path):
    records = json_records(spark, [sample_row(main.ROW_SCHEMA, 1), sample_row(main.ROW_SCHEMA, 2)])
    mode = main.SINK_OPTIONS.get("output_mode", "append")
    out, _ = run_stream(spark, [records], lambda df: main.transform(spark, main.decode_records(df)), mode, tmp_path)
    assert out.columns


def test_step_0_filter_keeps_and_drops_the_right_rows(spark):
    """Rows that exercise the condition (its literals, other values, nulls); which it keeps is
    worked out by the generator from the spec, independently of the job's Column API code."""
    rows = [{"status": "created", "total": 0}, {"status": "paid", "total": 0}, {"status": "shipped", "total": 0}, {"status": "zz-none-of-them", "total": 0}, {"status": None, "total": 0}, {"status": "created", "total": -1}, {"status": "created", "total": 1}, {"status": "created", "total": 987654}, {"status": "created", "total": None}]
    keeps = [False, False, False, False, False, False, True, True, False]
    mismatch = kinds_mismatch(main.ROW_SCHEMA, {"status": "string", "total": "integer"})
    if mismatch:
        pytest.skip("the schema types of %s do not hold the condition's literals" % ", ".join(mismatch))
    records = [{**sample_row(main.ROW_SCHEMA), **row} for row in rows]
    out = main.step_0_filter(spark, main.decode_records(json_records(spark, records)))
    kept = main.decode_records(json_records(spark, [r for r, keep in zip(records, keeps, strict=True) if keep]))
    columns = [f.name for f in main.ROW_SCHEMA.fields]
    assert out.count() == sum(keeps)
    assert text_rows(out, columns) == text_rows(kept, columns)


def test_step_3_deduplicate_drops_duplicates(spark, tmp_path):
    """The rows that reach the step, each twice: one of each pair comes out."""
    records = json_records(spark, [sample_row(main.ROW_SCHEMA, seed) for seed in (1, 2)])

    def before(df):
        df = main.decode_records(df)
        for step in main.STEPS[:3]:
            df = step(spark, df)
        return df

    once, _ = run_stream(spark, [records], before, "append", tmp_path / "once")
    twice, _ = run_stream(
        spark,
        [records.union(records)],
        lambda df: main.step_3_deduplicate(spark, before(df)),
        "append",
        tmp_path / "twice",
    )
    keys = ["order_id", "status"]
    assert twice.count() == once.select(*keys).distinct().count()
    assert twice.select(*keys).distinct().count() == twice.count()
