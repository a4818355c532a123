import json

from pyspark.sql import functions as F
from pyspark.sql import types as T

from streaming_runtime.schemas import (
    avro_to_spark,
    convert_times,
    json_schema_to_spark,
    load_avro_schema,
    load_json_schema,
    read_schema,
)


def test_avro_types():
    record = {
        "type": "record",
        "name": "r",
        "fields": [
            {"name": "id", "type": "long"},
            {"name": "name", "type": ["null", "string"]},
            {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
            {"name": "day", "type": {"type": "int", "logicalType": "date"}},
            {"name": "tags", "type": {"type": "array", "items": "string"}},
            {"name": "either", "type": ["int", "string"]},
        ],
    }
    # Fields without null in their type and without a default are required (not nullable).
    assert avro_to_spark(record) == T.StructType(
        [
            T.StructField("id", T.LongType(), False),
            T.StructField("name", T.StringType()),
            T.StructField("at", T.TimestampType(), False),
            T.StructField("day", T.DateType(), False),
            T.StructField("tags", T.ArrayType(T.StringType()), False),
            T.StructField("either", T.StringType(), False),
        ]
    )


def test_json_schema_types(tmp_path):
    (tmp_path / "s.json").write_text(
        json.dumps(
            {
                "type": "object",
                "properties": {
                    "n": {"type": ["integer", "null"]},
                    "x": {"type": "number"},
                    "t": {"type": "string", "format": "date-time"},
                    "o": {"type": "object", "properties": {"b": {"type": "boolean"}}},
                },
            }
        )
    )
    assert load_json_schema("s.json", str(tmp_path)) == T.StructType(
        [
            T.StructField("n", T.LongType()),
            T.StructField("x", T.DoubleType()),
            T.StructField("t", T.TimestampType()),
            T.StructField("o", T.StructType([T.StructField("b", T.BooleanType())])),
        ]
    )
    assert json_schema_to_spark({"type": "string", "format": "date"}) == T.DateType()


def test_times_are_read_from_iso_text_or_epoch_numbers(spark):
    schema = T.StructType([T.StructField("at", T.TimestampType()), T.StructField("day", T.DateType())])
    read, times = read_schema(schema)
    assert [f.dataType for f in read.fields] == [T.StringType(), T.StringType()]
    rows = [
        ("2026-01-01T00:00:01Z", "2026-01-02"),
        ("1767225601", "20455"),  # seconds; days since the epoch
        ("1767225601000", None),  # milliseconds
        ("1767225601000000", None),  # microseconds
    ]
    out = convert_times(spark.createDataFrame(rows, read), times)
    texts = [(r.at, r.day) for r in out.select(F.col("at").cast("string"), F.col("day").cast("string")).collect()]
    assert texts == [
        ("2026-01-01 00:00:01", "2026-01-02"),
        ("2026-01-01 00:00:01", "2026-01-02"),
        ("2026-01-01 00:00:01", None),
        ("2026-01-01 00:00:01", None),
    ]


def test_required_fields_of_a_schema_file_are_not_nullable(tmp_path):
    # Avro: a type without null and no default; JSON Schema: listed in `required`, type without null.
    avro = {
        "type": "record",
        "name": "r",
        "fields": [
            {"name": "id", "type": "long"},
            {"name": "name", "type": ["null", "string"], "default": None},
            {"name": "source", "type": "string", "default": "web"},
            {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        ],
    }
    (tmp_path / "r.avsc").write_text(json.dumps(avro))
    assert [(f.name, f.nullable) for f in load_avro_schema("r.avsc", str(tmp_path)).fields] == [
        ("id", False),
        ("name", True),
        ("source", True),
        ("at", False),
    ]
    node = {
        "type": "object",
        "required": ["n", "x", "absent"],
        "properties": {"n": {"type": ["integer", "null"]}, "x": {"type": "number"}, "t": {"type": "string"}},
    }
    (tmp_path / "s.json").write_text(json.dumps(node))
    assert [(f.name, f.nullable) for f in load_json_schema("s.json", str(tmp_path)).fields] == [
        ("n", True),
        ("x", False),
        ("t", True),
    ]


def test_required_fields_of_nested_records_and_objects_are_not_nullable(tmp_path):
    address = {
        "type": "record",
        "name": "Address",
        "fields": [{"name": "city", "type": "string"}, {"name": "zip", "type": ["null", "string"], "default": None}],
    }
    avro = {
        "type": "record",
        "name": "r",
        "fields": [{"name": "id", "type": "long"}, {"name": "address", "type": ["null", address], "default": None}],
    }
    (tmp_path / "r.avsc").write_text(json.dumps(avro))
    nested = load_avro_schema("r.avsc", str(tmp_path))["address"]
    assert nested.nullable
    assert [(f.name, f.nullable) for f in nested.dataType.fields] == [("city", False), ("zip", True)]
    node = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "integer"},
            "address": {
                "type": "object",
                "required": ["city"],
                "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
            },
        },
    }
    (tmp_path / "s.json").write_text(json.dumps(node))
    nested = load_json_schema("s.json", str(tmp_path))["address"]
    assert nested.nullable
    assert [(f.name, f.nullable) for f in nested.dataType.fields] == [("city", False), ("zip", True)]
