# Generated from pipeline.yaml by the streaming platform: change the spec and render
# again rather than editing this file.
"""The PySpark Structured Streaming job of one pipeline (see pipeline.yaml).

What the spec decides: settings, schema, source, transformations and sink options.
The rest is the streaming_runtime package beside this file.
"""

import sys

from pyspark.sql import functions as F
from pyspark.sql import types as T

from streaming_runtime import job, sources
from streaming_runtime.settings import setting
from streaming_runtime.sinks import delta

PIPELINE_NAME = "matrix-kafka-json-delta"

# Every setting: environment variable, else the value of the spec.
SETTINGS = {
    "bootstrap_servers": setting("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
    "source_topic": setting("PIPELINE_SOURCE_TOPIC", "matrix.events"),
    "starting_offsets": setting("PIPELINE_STARTING_OFFSETS", "earliest"),
    "max_offsets_per_trigger": setting("PIPELINE_MAX_OFFSETS_PER_TRIGGER", "50000"),
    "fail_on_data_loss": setting("PIPELINE_FAIL_ON_DATA_LOSS", "false"),
    "join_5_path": setting("PIPELINE_JOIN_5_PATH", "/data/delta/countries"),
    "checkpoint": setting("PIPELINE_CHECKPOINT", "s3a://lake/checkpoints/matrix-kafka-json-delta"),
    "sink_path": setting("PIPELINE_SINK_PATH", "s3a://lake/matrix/events_hourly"),
    "trigger": setting("PIPELINE_TRIGGER", "30 seconds"),
    "progress_topic": setting("STREAMING_PROGRESS_TOPIC", "streaming.progress"),
    "progress_bootstrap_servers": setting("STREAMING_PROGRESS_BOOTSTRAP_SERVERS", None),
    "stop_timeout_seconds": setting("PIPELINE_STOP_TIMEOUT_SECONDS", "60"),
}

SPARK_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.streaming.metricsEnabled": "true",
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
}

# The sink and its options.
SINK_OPTIONS = {
    "output_mode": "append",
    "partition_by": ["region"],
    "merge_schema": False,
    "drop_columns": [],
}


# The row schema, from the fields of the spec.
ROW_SCHEMA = T.StructType(
  [
    T.StructField("id", T.LongType(), False),
    T.StructField("status", T.StringType(), True),
    T.StructField("name", T.StringType(), True),
    T.StructField("note", T.StringType(), True),
    T.StructField("country", T.StringType(), True),
    T.StructField("code", T.StringType(), True),
    T.StructField("amount", T.DoubleType(), True),
    T.StructField("price", T.DecimalType(12, 2), True),
    T.StructField("qty", T.IntegerType(), True),
    T.StructField("ratio", T.FloatType(), True),
    T.StructField("flag", T.BooleanType(), True),
    T.StructField("day", T.DateType(), True),
    T.StructField("blob", T.BinaryType(), True),
    T.StructField("ts", T.TimestampType(), True),
  ]
)


def decode_records(records):
    """Kafka records to rows: JSON parsed with the row schema."""
    return sources.decode_json(records, ROW_SCHEMA)


def read_source(spark):
    """The source stream: the records of the source topic, decoded."""
    return decode_records(sources.read_kafka(spark, PIPELINE_NAME, SETTINGS))


def step_0_filter(spark, df):
    """Step 0 of the spec: filter."""
    df = df.where(((F.col("status").isin("a", "b'c", 1, -2.5, True, None) | F.col("amount").between(F.lit(1), F.lit(1000))) & (~F.col("name").like("x%")) & F.col("note").isNull() & (F.lower(F.trim(F.col("country"))) != F.lit("zz")) & (((F.col("amount") * F.lit(2)) + F.lit(1)) >= (F.lit(3) % F.lit(2))) & (~F.col("code").isin("x")) & (~F.col("amount").between(F.lit(5), F.lit(6))) & (~F.col("name").like("%y")) & (F.coalesce(F.col("note"), F.lit("n")) == F.lit("n")) & (F.round(F.col("amount"), 2) > F.lit(0)) & (F.substring(F.col("name"), 1, 3) == F.lit("abc")) & ((-F.col("amount")) < F.lit(0)) & (F.col("flag") == F.lit(True)) & ((F.col("qty") / F.lit(2)) != F.lit(7)) & F.col("note").isNotNull()))
    return df


def step_1_select(spark, df):
    """Step 1 of the spec: select."""
    df = df.select(
        F.col("id"),
        F.col("status"),
        F.col("name"),
        F.col("country"),
        F.col("amount").cast(T.DecimalType(38, 18)).alias("amount"),
        F.col("price").alias("unit_price"),
        F.col("qty").cast(T.LongType()).alias("quantity"),
        F.col("ratio"),
        F.col("flag"),
        F.col("blob"),
        F.col("ts"),
    )
    return df


def step_2_rename(spark, df):
    """Step 2 of the spec: rename."""
    df = df.withColumnsRenamed({"status": "state"})
    return df


def step_3_cast(spark, df):
    """Step 3 of the spec: cast."""
    df = df.withColumns(
        {
            "ratio": F.col("ratio").cast(T.DoubleType()),
            "quantity": F.col("quantity").cast(T.IntegerType()),
        }
    )
    return df


def step_4_drop(spark, df):
    """Step 4 of the spec: drop."""
    df = df.drop("blob")
    return df


def step_5_join(spark, df):
    """Step 5 of the spec: join."""
    table = spark.read.format("delta").load(SETTINGS["join_5_path"])
    table = table.select(F.col("country"), F.col("country_name"), F.col("region"))
    df = df.join(F.broadcast(table), on=["country"], how="inner")
    return df


def step_6_watermark(spark, df):
    """Step 6 of the spec: watermark."""
    df = df.withWatermark("ts", "90 seconds")
    return df


def step_7_deduplicate(spark, df):
    """Step 7 of the spec: deduplicate."""
    df = df.dropDuplicatesWithinWatermark(["id"])
    return df


def step_8_aggregate(spark, df):
    """Step 8 of the spec: aggregate."""
    df = df.groupBy(
        F.window(F.col("ts"), "1 hour", "15 minutes").alias("window"),
        F.col("region"),
        F.col("state"),
    ).agg(
        F.count(F.lit(1)).alias("events"),
        F.count(F.lit(1)).alias("rows_total"),
        F.count_if(F.col("flag")).alias("flagged"),
        F.sum(F.col("amount")).alias("amount_total"),
        F.avg(F.col("unit_price")).alias("price_avg"),
        F.avg(F.col("quantity")).alias("quantity_mean"),
        F.min(F.col("amount")).alias("amount_min"),
        F.max(F.col("amount")).alias("amount_max"),
        F.approx_count_distinct(F.col("id")).alias("ids"),
        F.stddev(F.col("ratio")).alias("ratio_stddev"),
        F.stddev_samp(F.col("ratio")).alias("ratio_stddev_samp"),
        F.stddev_pop(F.col("ratio")).alias("ratio_stddev_pop"),
        F.variance(F.col("ratio")).alias("ratio_variance"),
        F.var_samp(F.col("ratio")).alias("ratio_var_samp"),
        F.var_pop(F.col("ratio")).alias("ratio_var_pop"),
        F.first(F.col("country_name")).alias("first_country"),
        F.last(F.col("country_name")).alias("last_country"),
        F.collect_list(F.col("name")).alias("names"),
        F.collect_set(F.col("country")).alias("countries"),
        F.percentile_approx(F.col("amount"), 0.95).alias("amount_p95"),
        (F.sum((F.col("amount") * F.col("quantity"))) / F.count(F.lit(1))).alias("weighted"),
    )
    df = df.select(
        F.col("window.start").alias("window_start"),
        F.col("window.end").alias("window_end"),
        *[F.col(c) for c in df.columns if c != "window"],
    )
    return df


# The steps of the spec, in order.
STEPS = [step_0_filter, step_1_select, step_2_rename, step_3_cast, step_4_drop, step_5_join, step_6_watermark, step_7_deduplicate, step_8_aggregate]


def transform(spark, df):
    """The transformations of the spec, in order."""
    for step in STEPS:
        df = step(spark, df)
    return df


def start_query(df):
    """Streams into the Delta table (append mode); the Delta sink commits each batch exactly once."""
    return delta.start(df, PIPELINE_NAME, SETTINGS, **SINK_OPTIONS)


def start(spark):
    """Starts the query on a Spark session (which may host other pipelines' queries): (query, publisher)."""
    return job.start(spark, PIPELINE_NAME, SETTINGS, lambda: start_query(transform(spark, read_source(spark))))


def stop(spark, query, publisher):
    """Stops the query after its running micro-batch and publishes its last progress events."""
    job.stop(spark, query, publisher, SETTINGS)


def main():
    """Runs the pipeline until it fails or is asked to stop (SIGTERM, SIGINT)."""
    return job.main(PIPELINE_NAME, SPARK_CONF, start, stop)


if __name__ == "__main__":
    sys.exit(main())
