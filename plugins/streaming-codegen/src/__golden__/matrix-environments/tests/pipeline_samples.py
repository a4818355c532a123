"""Sample records derived from a row schema, for a pipeline's tests (the same in every repository).

`sample_row(schema, seed)` gives one JSON record whose every field has a value of its type
(different seeds, different values); `as_text` reads rows back as Spark's text of each value,
so expectations do not depend on the test machine's time zone.
"""

import datetime
import json

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
    """A batch DataFrame shaped like Kafka records (key, value, topic, partition, offset, timestamp):
    one per value (a str or None), at offsets 0, 1, ... of partition 0 of topic "source"."""
    schema = T.StructType(
        [
            T.StructField("key", T.BinaryType(), True),
            T.StructField("value", T.BinaryType(), True),
            T.StructField("topic", T.StringType(), False),
            T.StructField("partition", T.IntegerType(), False),
            T.StructField("offset", T.LongType(), False),
            T.StructField("timestamp", T.TimestampType(), False),
        ]
    )
    when = datetime.datetime(2026, 1, 1)
    rows = [(None, None if v is None else v.encode("utf-8"), "source", 0, i, when) for i, v in enumerate(values)]
    return spark.createDataFrame(rows, schema)


def json_records(spark, rows):
    """Kafka records of JSON values."""
    return kafka_records(spark, [json.dumps(row) for row in rows])


def as_text(df, columns):
    """The rows of the columns as Spark's text of each value."""
    return [row.asDict() for row in df.select(*[F.col(c).cast("string").alias(c) for c in columns]).collect()]


def run_stream(spark, batches, process, output_mode, folder):
    """What `process` makes of the record batches as a stream, and the progress of its micro-batches.

    Some steps (deduplicate within the watermark, late rows behind the watermark) exist only on
    streams: each batch of records is written into `folder` (a pathlib.Path) and read as the next
    micro-batch of a file stream, one checkpoint across them. Returns the rows the query wrote
    (a DataFrame) and every StreamingQueryProgress (dicts).
    """
    source, checkpoint = folder / "records", folder / "checkpoint"
    written, schemas, progress = [], [], []

    def collect(batch_df, _batch_id):
        schemas.append(batch_df.schema)
        written.extend(batch_df.collect())

    for number, records in enumerate(batches):
        records.write.parquet(str(source / ("batch=%d" % number)))
        stream = spark.readStream.schema(records.schema).parquet(str(source / "batch=*"))
        query = (
            process(stream)
            .writeStream.foreachBatch(collect)
            .outputMode(output_mode)
            .option("checkpointLocation", str(checkpoint))
            .trigger(availableNow=True)
            .start()
        )
        query.awaitTermination()
        progress.extend(p if isinstance(p, dict) else json.loads(p.json) for p in query.recentProgress)
    return spark.createDataFrame(written, schemas[-1]), progress


def text_rows(df, columns):
    """The rows of the columns as Spark's text of each value, sorted (to compare as multisets)."""
    return sorted(as_text(df, columns), key=lambda row: json.dumps(row, sort_keys=True))


def kinds_mismatch(schema, kinds):
    """Columns whose type cannot hold the sample values of their kind ("string", "integer", "number")."""
    accepts = {
        "string": (T.StringType,),
        "integer": (T.IntegerType, T.LongType, T.ShortType, T.ByteType, T.DoubleType, T.FloatType, T.DecimalType),
        "number": (T.DoubleType, T.FloatType, T.DecimalType),
        "boolean": (T.BooleanType,),
    }
    types = {f.name: f.dataType for f in schema.fields}
    return sorted(name for name, kind in kinds.items() if not isinstance(types.get(name), accepts[kind]))


MICROS = 1_000_000
# 2026-01-01T00:00:00Z, the day of the sample times, in epoch microseconds.
SAMPLE_DAY_MICROS = 1_767_225_600 * MICROS


def window_starts(micros, window_seconds, slide_seconds):
    """The starts of the windows (Spark's tumbling or sliding windows from the epoch) holding a time."""
    size, slide = window_seconds * MICROS, slide_seconds * MICROS
    last = micros - micros % slide
    return [start for start in range(last - size + slide, last + 1, slide) if start <= micros < start + size]


METRICS = {
    "count": lambda values: len(values),
    "count_nonnull": lambda values: sum(1 for v in values if v is not None),
    "sum": lambda values: sum(v for v in values if v is not None) if any(v is not None for v in values) else None,
    "min": lambda values: min((v for v in values if v is not None), default=None),
    "max": lambda values: max((v for v in values if v is not None), default=None),
    "avg": lambda values: (
        sum(v for v in values if v is not None) / len([v for v in values if v is not None])
        if any(v is not None for v in values)
        else None
    ),
    "approx_count_distinct": lambda values: len({v for v in values if v is not None}),
}


def expected_aggregates(rows, group_by, window, metrics):
    """The aggregate of rows (dicts) computed in plain Python: the oracle of a generated aggregate test.

    `window` is None or (time column, window seconds, slide seconds), times in epoch microseconds;
    `metrics` are (function, column or None, alias). Each result has window_start/window_end
    (microseconds) when windowed, the group_by columns (by their last name) and the aliases.
    """
    groups = {}
    for row in rows:
        keys = tuple(row[c] for c in group_by)
        starts = [None] if window is None else window_starts(row[window[0]], window[1], window[2])
        for start in starts:
            groups.setdefault((start, keys), []).append(row)
    results = []
    for (start, keys), members in groups.items():
        result = {} if window is None else {"window_start": start, "window_end": start + window[1] * MICROS}
        result.update({c.split(".")[-1]: k for c, k in zip(group_by, keys, strict=True)})
        for function, column, alias in metrics:
            values = [1 if column is None else m[column] for m in members]
            result[alias] = METRICS[function](values)
        results.append(result)
    return results


def comparable(rows):
    """Rows as sorted, JSON-comparable dicts (floats rounded: Spark and Python sum in other orders)."""
    def value(v):
        return round(v, 6) if isinstance(v, float) else v

    return sorted(
        ({k: value(v) for k, v in row.items()} for row in rows), key=lambda row: json.dumps(row, sort_keys=True)
    )


def collect_with_micros(df, time_columns):
    """The rows as dicts, the time columns as epoch microseconds (independent of the local time zone)."""
    columns = [F.unix_micros(F.col(c)).alias(c) if c in time_columns else F.col(c) for c in df.columns]
    return [row.asDict() for row in df.select(*columns).collect()]
