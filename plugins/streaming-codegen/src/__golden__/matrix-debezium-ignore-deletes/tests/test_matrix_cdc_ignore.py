# Generated from pipeline.yaml by the streaming platform: change the spec and render
# again rather than editing this file.
"""Tests of the pipeline's job on a local Spark session, with records derived from its schema."""

from pyspark.sql import functions as F

import main
from pipeline_samples import JUNK, as_text, expected_text, json_records, kafka_records, run_stream, sample_row
from streaming_runtime.sinks import delta_merge


def test_valid_records_decode_to_the_schema(spark):
    decoded = main.decode_records(json_records(spark, [{"before": None, "after": sample_row(main.ROW_SCHEMA), "op": "c", "ts_ms": 1}]))
    assert decoded.columns == [f.name for f in main.ROW_SCHEMA.fields] + ["__op", "__source_ts_ms", "__kafka_offset"]
    expected = expected_text(main.ROW_SCHEMA)
    assert as_text(decoded, list(expected)) == [expected]
    assert as_text(decoded, ["__op", "__kafka_offset"]) == [{"__op": "c", "__kafka_offset": "0"}]


def test_nulls_flow_on_as_nulls(spark):
    decoded = main.decode_records(json_records(spark, [{"before": None, "after": {f.name: None for f in main.ROW_SCHEMA.fields}, "op": "c", "ts_ms": 1}]))
    assert [row.asDict() for row in decoded.select(*[f.name for f in main.ROW_SCHEMA.fields]).collect()] == [
        {f.name: None for f in main.ROW_SCHEMA.fields}
    ]


def test_junk_and_tombstones_are_skipped(spark):
    # Junk has no change operation; a tombstone (null value) is no record.
    assert main.decode_records(kafka_records(spark, JUNK + [None])).count() == 0


def test_transformations_give_the_columns_of_the_spec(spark, tmp_path):
    records = json_records(spark, [{"before": None, "after": sample_row(main.ROW_SCHEMA, 1), "op": "c", "ts_ms": 1}, {"before": None, "after": sample_row(main.ROW_SCHEMA, 2), "op": "c", "ts_ms": 1}])
    mode = main.SINK_OPTIONS.get("output_mode", "append")
    out, _ = run_stream(spark, [records], lambda df: main.transform(spark, main.decode_records(df)), mode, tmp_path)
    assert out.columns == ["account_id", "balance", "opened", "changed_at", "__op", "__op", "__source_ts_ms", "__kafka_offset"]


def test_change_events_merge_into_the_table(spark, tmp_path):
    """Two inserts, an update of the first and a delete of the second: the delete is ignored."""
    keys = ["account_id"]
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


def test_a_replayed_batch_changes_nothing(spark, tmp_path):
    events = [{"before": None, "after": sample_row(main.ROW_SCHEMA, 1), "op": "c", "ts_ms": 1}]
    batch = main.transform(spark, main.decode_records(json_records(spark, events)))
    path = str(tmp_path / "table")
    options = {k: v for k, v in main.SINK_OPTIONS.items() if k != "output_mode"}
    delta_merge.merge_batch(batch, 7, path, "test", **options)
    version = spark.sql("DESCRIBE HISTORY delta.`" + path + "`").agg(F.max("version")).first()[0]
    delta_merge.merge_batch(batch, 7, path, "test", **options)
    assert spark.sql("DESCRIBE HISTORY delta.`" + path + "`").agg(F.max("version")).first()[0] == version
