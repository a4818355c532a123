# Generated from pipeline.yaml by the streaming platform: change the spec and render
# again rather than editing this file.
"""Tests of the pipeline's job on a local Spark session, with records derived from its schema."""

import main
from pipeline_samples import JUNK, as_text, expected_text, json_records, kafka_records, run_stream, sample_row


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
    assert out.columns == ["level", "message", "ts"]
