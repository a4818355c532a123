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

PIPELINE_NAME = "clickstream"

# Every setting: environment variable, else the value of the spec.
SETTINGS = {
    "bootstrap_servers": setting("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
    "source_topic": setting("PIPELINE_SOURCE_TOPIC", "clicks"),
    "starting_offsets": setting("PIPELINE_STARTING_OFFSETS", "latest"),
    "max_offsets_per_trigger": setting("PIPELINE_MAX_OFFSETS_PER_TRIGGER", None),
    "fail_on_data_loss": setting("PIPELINE_FAIL_ON_DATA_LOSS", "true"),
    "checkpoint": setting("PIPELINE_CHECKPOINT", "/checkpoints/clickstream"),
    "sink_path": setting("PIPELINE_SINK_PATH", "/data/delta/click_agg"),
    "trigger": setting("PIPELINE_TRIGGER", "10 seconds"),
    "progress_topic": setting("STREAMING_PROGRESS_TOPIC", "streaming.progress"),
    "progress_bootstrap_servers": setting("STREAMING_PROGRESS_BOOTSTRAP_SERVERS", None),
    "stop_timeout_seconds": setting("PIPELINE_STOP_TIMEOUT_SECONDS", "60"),
}

SPARK_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.streaming.metricsEnabled": "true",
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    "spark.databricks.delta.schema.autoMerge.enabled": "true",
}

# The sink and its options.
SINK_OPTIONS = {
    "output_mode": "append",
    "partition_by": [],
    "merge_schema": True,
    "drop_columns": [],
}


# The row schema, from the fields of the spec.
ROW_SCHEMA = T.StructType(
  [
    T.StructField("session_id", T.StringType(), True),
    T.StructField("user_id", T.StringType(), True),
    T.StructField("page", T.StringType(), True),
    T.StructField("referrer", T.StringType(), True),
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
    df = df.where((F.col("page").isNotNull() & (~F.col("referrer").like("%bot%"))))
    return df


def step_1_watermark(spark, df):
    """Step 1 of the spec: watermark."""
    df = df.withWatermark("ts", "2 minutes")
    return df


def step_2_aggregate(spark, df):
    """Step 2 of the spec: aggregate."""
    df = df.groupBy(
        F.window(F.col("ts"), "10 minutes", "1 minute").alias("window"),
        F.col("page"),
    ).agg(
        F.count(F.lit(1)).alias("clicks"),
        F.approx_count_distinct(F.col("session_id")).alias("sessions"),
    )
    df = df.select(
        F.col("window.start").alias("window_start"),
        F.col("window.end").alias("window_end"),
        *[F.col(c) for c in df.columns if c != "window"],
    )
    return df


# The steps of the spec, in order.
STEPS = [step_0_filter, step_1_watermark, step_2_aggregate]


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
