"""Sample records derived from a row schema, for a pipeline's tests (the same in every repository).

`sample_row(schema, seed)` gives one JSON record whose every field has a value of its type
(different seeds, different values); `as_text` reads rows back as Spark's text of each value,
so expectations do not depend on the test machine's time zone.
"""

import json
import uuid

from pyspark.sql import functions as F
from pyspark.sql import types as T

JUNK = ["not json", '{"unterminated": ', "[1, 2, 3]"]


def sample_value(data_type, seed):
    """A JSON value of the type and the text Spark gives for it once parsed (None: not compared)."""
    if isinstance(data_type, T.StringType):
        return "v%d" % seed, "v%d" % seed
    if isinstance(data_type, (T.IntegerType, T.LongType, T.ShortType, T.ByteType)):
        return seed, str(seed)
    if isinstance(data_type, (T.DoubleType, T.FloatType)):
        return seed + 0.5, str(seed + 0.5)
    if isinstance(data_type, T.BooleanType):
        return seed % 2 == 1, "true" if seed % 2 == 1 else "false"
    if isinstance(data_type, T.TimestampType):
        return "2026-01-01T00:%02d:00Z" % seed, "2026-01-01 00:%02d:00" % seed
    if isinstance(data_type, T.DateType):
        return "2026-01-%02d" % seed, "2026-01-%02d" % seed
    if isinstance(data_type, T.DecimalType):
        return seed, None
    if isinstance(data_type, T.StructType):
        pairs = {f.name: sample_value(f.dataType, seed) for f in data_type.fields}
        return {name: pair[0] for name, pair in pairs.items()}, None
    if isinstance(data_type, T.ArrayType):
        return [sample_value(data_type.elementType, seed)[0]], None
    return None, None


def sample_row(schema, seed=1):
    """One record of the schema: every field with a value of its type."""
    return {f.name: sample_value(f.dataType, seed)[0] for f in schema.fields}


def expected_text(schema, seed=1):
    """Spark's text of each top-level field of sample_row(schema, seed) that can be compared."""
    texts = {f.name: sample_value(f.dataType, seed)[1] for f in schema.fields}
    return {name: text for name, text in texts.items() if text is not None}


def kafka_records(spark, values):
    """A batch DataFrame shaped like Kafka records (key, value, offset): one per value (a str or None)."""
    schema = T.StructType(
        [
            T.StructField("key", T.BinaryType(), True),
            T.StructField("value", T.BinaryType(), True),
            T.StructField("offset", T.LongType(), False),
        ]
    )
    rows = [(None, None if v is None else v.encode("utf-8"), i) for i, v in enumerate(values)]
    return spark.createDataFrame(rows, schema)


def json_records(spark, rows):
    """Kafka records of JSON values."""
    return kafka_records(spark, [json.dumps(row) for row in rows])


def as_text(df, columns):
    """The rows of the columns as Spark's text of each value."""
    return [row.asDict() for row in df.select(*[F.col(c).cast("string").alias(c) for c in columns]).collect()]


def run_stream(spark, records, process, output_mode, folder):
    """What `process` makes of the records as a stream (one micro-batch), from a memory sink.

    Some steps (deduplicate within the watermark) exist only on streams: the records are
    written into `folder` (a pathlib.Path) and read back as a file stream.
    """
    path = str(folder / "records")
    records.write.parquet(path)
    stream = spark.readStream.schema(records.schema).parquet(path)
    name = "pipeline_test_" + uuid.uuid4().hex
    query = (
        process(stream)
        .writeStream.format("memory")
        .queryName(name)
        .outputMode(output_mode)
        .trigger(availableNow=True)
        .start()
    )
    query.awaitTermination()
    return spark.table(name)
