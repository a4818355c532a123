"""Source streams: Kafka records (JSON, Avro, Debezium change events) and Delta tables.

Each reader of Kafka records is split in two: `read_kafka` opens the stream, and a
`decode_*` function turns a DataFrame of Kafka records (key, value, offset) into rows.
The decoders work on batch DataFrames too, which is how a pipeline's tests use them.
"""

from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.avro.functions import from_avro

from .schemas import convert_times, read_schema
from .settings import kafka_options

# The column that receives the text of a record that does not parse.
UNPARSED = "__unparsed"
# Every progress event reports this observation of the micro-batch's Kafka records
# (StreamingQueryProgress.observedMetrics): their bytes and those that could not be parsed.
OBSERVATION = "pipeline"
INPUT_BYTES = "input_bytes"
BAD_RECORDS = "bad_records"
# The columns a Debezium source adds to each row (dropped when writing).
CDC_COLUMNS = ("__op", "__source_ts_ms", "__kafka_offset")


def read_kafka(spark, pipeline_name, settings):
    """The Kafka records of the source topic (one consumer identity per pipeline)."""
    reader = (
        spark.readStream.format("kafka")
        .options(**kafka_options(settings["bootstrap_servers"]))
        .option("subscribe", settings["source_topic"])
        .option("startingOffsets", settings["starting_offsets"])
        .option("failOnDataLoss", settings["fail_on_data_loss"])
        .option("groupIdPrefix", "spark-pipeline-" + pipeline_name)
    )
    if settings["max_offsets_per_trigger"]:
        reader = reader.option("maxOffsetsPerTrigger", settings["max_offsets_per_trigger"])
    return reader.load()


def observe_input(df, unparsed):
    """Observes the records of each micro-batch: bytes of keys and values, and unparseable ones."""
    record_bytes = F.coalesce(F.length("key"), F.lit(0)) + F.coalesce(F.length("value"), F.lit(0))
    return df.observe(
        OBSERVATION,
        F.coalesce(F.sum(record_bytes), F.lit(0)).alias(INPUT_BYTES),
        F.count(F.when(unparsed, 1)).alias(BAD_RECORDS),
    )


def parse_json(value, schema):
    """JSON text parsed with the schema; a record that does not fit it leaves its text in UNPARSED."""
    return F.from_json(
        value.cast("string"),
        T.StructType(schema.fields + [T.StructField(UNPARSED, T.StringType(), True)]),
        {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": UNPARSED},
    )


def decode_json(records, row_schema):
    """Rows of JSON records parsed with the row schema; a record that does not parse is a row of nulls."""
    schema, times = read_schema(row_schema)
    parsed = records.where(F.col("value").isNotNull()).select(
        "key", "value", parse_json(F.col("value"), schema).alias("data")
    )
    parsed = observe_input(parsed, F.col("data." + UNPARSED).isNotNull())
    return convert_times(parsed.select("data.*").drop(UNPARSED), times)


def decode_avro(records, avro_schema, wire_format):
    """Rows of Avro records; `wire_format` "confluent": a magic byte and a 4-byte schema id precede each."""
    payload = F.col("value")
    if wire_format == "confluent":
        payload = payload.substr(F.lit(6), F.length(payload) - 5)
    decoded = records.where(F.col("value").isNotNull()).select(
        "key", "value", from_avro(payload, avro_schema, {"mode": "PERMISSIVE"}).alias("data")
    )
    return observe_input(decoded, F.col("data").isNull()).select("data.*")


def decode_debezium(records, row_schema, ignore_deletes):
    """Debezium change events as rows plus __op, __source_ts_ms and __kafka_offset.

    Both converter styles are read: with the schema envelope ({"schema", "payload"}) and without.
    Deletes carry the row image of "before" (or are left out with `ignore_deletes`); tombstones
    (null values) are skipped.
    """
    schema, times = read_schema(row_schema)
    change = T.StructType(
        [
            T.StructField("before", schema, True),
            T.StructField("after", schema, True),
            T.StructField("op", T.StringType(), True),
            T.StructField("ts_ms", T.LongType(), True),
        ]
    )
    envelope = T.StructType([T.StructField("payload", change, True)] + change.fields)
    messages = records.where(F.col("value").isNotNull()).select(
        "key", "value", parse_json(F.col("value"), envelope).alias("m"), "offset"
    )
    events = (
        observe_input(messages, F.col("m." + UNPARSED).isNotNull())
        .select(
            F.coalesce(
                F.col("m.payload"),
                F.struct(*[F.col("m." + f.name).alias(f.name) for f in change.fields]),
            ).alias("e"),
            F.col("offset"),
        )
        .where(F.col("e.op").isNotNull())
    )
    if ignore_deletes:
        events = events.where(F.col("e.op") != "d")
    rows = events.select(
        F.when(F.col("e.op") == "d", F.col("e.before")).otherwise(F.col("e.after")).alias("row"),
        F.col("e.op").alias("__op"),
        F.col("e.ts_ms").alias("__source_ts_ms"),
        F.col("offset").alias("__kafka_offset"),
    ).select("row.*", *CDC_COLUMNS)
    return convert_times(rows, times)


def read_delta(spark, settings, skip_change_commits, columns):
    """The Delta table as a stream; `columns` (when given) are the ones kept."""
    reader = spark.readStream.format("delta")
    if settings["source_starting_version"]:
        reader = reader.option("startingVersion", settings["source_starting_version"])
    if settings["max_files_per_trigger"]:
        reader = reader.option("maxFilesPerTrigger", settings["max_files_per_trigger"])
    if skip_change_commits:
        reader = reader.option("skipChangeCommits", "true")
    df = reader.load(settings["source_path"])
    if columns:
        df = df.select(*[F.col(c) for c in columns])
    return df
