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


def test_nulls_flow_on_in_optional_fields_and_dead_letter_the_record_in_required_ones(spark):
    optional = [f.name for f in main.ROW_SCHEMA.fields if f.nullable]
    required = [f.name for f in main.ROW_SCHEMA.fields if not f.nullable]
    row = {**sample_row(main.ROW_SCHEMA), **{name: None for name in optional}}
    decoded = main.decode_records(json_records(spark, [row]))
    assert [r.asDict() for r in decoded.select(*optional).collect()] == [{name: None for name in optional}]
    nulls = json_records(spark, [{f.name: None for f in main.ROW_SCHEMA.fields}])
    assert main.decode_records(nulls).count() == (0 if required else 1)
    missing = "; ".join("missing required field " + n for n in required)
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
    records = json_records(spark, [sample_row(main.ROW_SCHEMA, 1), sample_row(main.ROW_SCHEMA, 2)])
    mode = main.SINK_OPTIONS.get("output_mode", "append")
    out, _ = run_stream(spark, [records], lambda df: main.transform(spark, main.decode_records(df)), mode, tmp_path)
    assert out.columns


def test_step_0_filter_keeps_and_drops_the_right_rows(spark):
    """Rows that exercise the condition (its literals, other values, nulls); which it keeps is
    worked out by the generator from the spec, independently of the job's Column API code."""
    rows = [{"amount": 0}, {"amount": -1}, {"amount": 1}, {"amount": 987654}, {"amount": None}]
    keeps = [False, False, True, True, False]
    # A row with a null in a required field is a dead letter: it never reaches the filter.
    required = [f.name for f in main.ROW_SCHEMA.fields if not f.nullable]
    keeps = [k and all(row.get(n, "") is not None for n in required) for row, k in zip(rows, keeps, strict=True)]
    mismatch = kinds_mismatch(main.ROW_SCHEMA, {"amount": "integer"})
    if mismatch:
        pytest.skip("the schema types of %s do not hold the condition's literals" % ", ".join(mismatch))
    records = [{**sample_row(main.ROW_SCHEMA), **row} for row in rows]
    out = main.step_0_filter(spark, main.decode_records(json_records(spark, records)))
    kept = main.decode_records(json_records(spark, [r for r, keep in zip(records, keeps, strict=True) if keep]))
    columns = [f.name for f in main.ROW_SCHEMA.fields]
    assert out.count() == sum(keeps)
    assert text_rows(out, columns) == text_rows(kept, columns)
