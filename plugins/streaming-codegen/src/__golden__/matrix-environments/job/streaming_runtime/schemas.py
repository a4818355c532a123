"""Row schemas from schema files (Avro, JSON Schema) and event times read from text or numbers."""

import json
import os

from pyspark.sql import functions as F
from pyspark.sql import types as T

AVRO_PRIMITIVES = {
    "string": T.StringType(),
    "int": T.IntegerType(),
    "long": T.LongType(),
    "float": T.FloatType(),
    "double": T.DoubleType(),
    "boolean": T.BooleanType(),
    "bytes": T.BinaryType(),
    "fixed": T.BinaryType(),
    "enum": T.StringType(),
}
AVRO_TIMESTAMPS = ("timestamp-millis", "timestamp-micros", "local-timestamp-millis", "local-timestamp-micros")
JSON_SCHEMA_TYPES = {
    "integer": T.LongType(),
    "number": T.DoubleType(),
    "boolean": T.BooleanType(),
}
JSON_SCHEMA_FORMATS = {"date-time": T.TimestampType(), "date": T.DateType()}


def read_schema_file(path, base_dir):
    """The text of a schema file; a relative path is from `base_dir` (the repository root)."""
    if not os.path.isabs(path):
        path = os.path.join(base_dir, path)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def avro_to_spark(avro_type):
    """The Spark type of an Avro type (as JSON payloads carry it); the required fields of each record
    (avro_required), nested ones included, not nullable (the decoders count a record without one as bad)."""
    if isinstance(avro_type, list):
        others = [t for t in avro_type if t != "null"]
        return avro_to_spark(others[0]) if len(others) == 1 else T.StringType()
    if isinstance(avro_type, dict):
        logical = avro_type.get("logicalType")
        if logical in AVRO_TIMESTAMPS:
            return T.TimestampType()
        if logical == "date":
            return T.DateType()
        kind = avro_type.get("type")
        if kind == "record":
            required = avro_required(avro_type)
            fields = avro_type.get("fields", [])
            return T.StructType(
                [T.StructField(f["name"], avro_to_spark(f["type"]), f["name"] not in required) for f in fields]
            )
        if kind == "array":
            return T.ArrayType(avro_to_spark(avro_type.get("items")))
        if kind == "map":
            return T.MapType(T.StringType(), avro_to_spark(avro_type.get("values")))
        return avro_to_spark(kind)
    return AVRO_PRIMITIVES.get(avro_type, T.StringType())


def json_schema_to_spark(node):
    """The Spark type of a JSON Schema node; the required properties of each object
    (json_schema_required), nested ones included, not nullable."""
    kind = node.get("type")
    if isinstance(kind, list):
        others = [k for k in kind if k != "null"]
        kind = others[0] if len(others) == 1 else "string"
    if kind == "object":
        required = json_schema_required(node)
        properties = node.get("properties", {})
        return T.StructType(
            [
                T.StructField(name, json_schema_to_spark(child), name not in required)
                for name, child in properties.items()
            ]
        )
    if kind == "array":
        return T.ArrayType(json_schema_to_spark(node.get("items", {})))
    if kind == "string":
        return JSON_SCHEMA_FORMATS.get(node.get("format"), T.StringType())
    return JSON_SCHEMA_TYPES.get(kind, T.StringType())


def avro_required(record):
    """The fields of an Avro record that every record carries: a type without null and no default."""
    fields = record.get("fields", []) if isinstance(record, dict) else []

    def allows_null(avro_type):
        return avro_type == "null" or (isinstance(avro_type, list) and "null" in avro_type)

    return {f["name"] for f in fields if not allows_null(f["type"]) and "default" not in f}


def json_schema_required(node):
    """The properties a JSON Schema object requires (listed in `required`) whose type excludes null."""
    properties = node.get("properties", {})

    def allows_null(child):
        kind = child.get("type")
        return kind == "null" or (isinstance(kind, list) and "null" in kind)

    return {name for name in node.get("required", []) if name in properties and not allows_null(properties[name])}


def load_avro_schema(path, base_dir):
    """The row schema of an Avro schema file (.avsc); its required fields (avro_required) not nullable."""
    return avro_to_spark(json.loads(read_schema_file(path, base_dir)))


def load_json_schema(path, base_dir):
    """The row schema of a JSON Schema file; its required properties (json_schema_required) not nullable."""
    return json_schema_to_spark(json.loads(read_schema_file(path, base_dir)))


def read_schema(schema):
    """The schema to parse with (top-level timestamps and dates read as text) and those columns."""
    times = [f for f in schema.fields if is_time(f)]
    read = T.StructType([T.StructField(f.name, T.StringType(), True) if f in times else f for f in schema.fields])
    return read, times


def is_time(field):
    """Whether a row schema's field is a timestamp or a date (read as text, then converted)."""
    return isinstance(field.dataType, (T.TimestampType, T.DateType))


def parse_time(column, data_type):
    """ISO text, or epoch numbers (seconds, milliseconds or microseconds by magnitude; days for dates).

    Text that is neither, or a number out of range, gives null (never an error, whatever
    spark.sql.ansi.enabled says): the decoders count such a record as bad.
    """
    text = F.trim(column)
    number = text.try_cast("double")
    is_number = text.rlike("^-?[0-9]+(\\.[0-9]+)?$")
    if isinstance(data_type, T.DateType):
        return F.when(is_number, F.date_from_unix_date(number.try_cast("int"))).otherwise(text.try_cast("date"))
    micros = (
        F.when(F.abs(number) >= 1e14, number).when(F.abs(number) >= 1e11, number * 1000).otherwise(number * 1000000)
    )
    return F.when(is_number, F.timestamp_micros(micros.try_cast("long"))).otherwise(text.try_cast("timestamp"))


def convert_times(df, times):
    """Turns the text read for timestamp and date columns into their types."""
    return df.withColumns({f.name: parse_time(F.col(f.name), f.dataType) for f in times})
