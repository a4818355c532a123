# Generated from pipeline.yaml by the streaming platform: change the spec and render
# again rather than editing this file.
"""The PySpark Structured Streaming job of one pipeline (see pipeline.yaml).

What the spec decides: settings, schema, source, transformations and sink options.
The rest is the streaming_runtime package beside this file.
"""

import sys

from pyspark.sql import functions as F

from streaming_runtime import job, sources
from streaming_runtime.settings import setting
from streaming_runtime.sinks import delta_merge

PIPELINE_NAME = "matrix-delta-merge"

# Every setting: environment variable, else the value of the spec.
SETTINGS = {
    "bootstrap_servers": setting("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
    "source_path": setting("PIPELINE_SOURCE_PATH", "/data/delta/bronze_events"),
    "source_starting_version": setting("PIPELINE_SOURCE_STARTING_VERSION", "12"),
    "max_files_per_trigger": setting("PIPELINE_MAX_FILES_PER_TRIGGER", "100"),
    "checkpoint": setting("PIPELINE_CHECKPOINT", "/checkpoints/matrix-delta-merge"),
    "sink_path": setting("PIPELINE_SINK_PATH", "/data/delta/silver_daily"),
    "trigger": setting("PIPELINE_TRIGGER", None),
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
    "output_mode": "update",
    "merge_keys": ["window_start", "user_id"],
    "deletes": "ignore",
    "cdc_columns": [],
    "partition_by": [],
    "merge_schema": True,
}


def read_source(spark):
    """The source stream: the Delta table."""
    return sources.read_delta(
        spark,
        SETTINGS,
        skip_change_commits=True,
        columns=["user_id", "amount", "event_time"],
    )


def step_0_watermark(spark, df):
    """Step 0 of the spec: watermark."""
    df = df.withWatermark("event_time", "1 hour")
    return df


def step_1_aggregate(spark, df):
    """Step 1 of the spec: aggregate."""
    df = df.groupBy(
        F.window(F.col("event_time"), "1 day").alias("window"),
        F.col("user_id"),
    ).agg(
        F.sum(F.col("amount")).alias("daily_amount"),
    )
    df = df.select(
        F.col("window.start").alias("window_start"),
        F.col("window.end").alias("window_end"),
        *[F.col(c) for c in df.columns if c != "window"],
    )
    return df


# The steps of the spec, in order.
STEPS = [step_0_watermark, step_1_aggregate]


def transform(spark, df):
    """The transformations of the spec, in order."""
    for step in STEPS:
        df = step(spark, df)
    return df


def start_query(df):
    """Merges each micro-batch into the Delta table (update mode)."""
    return delta_merge.start(df, PIPELINE_NAME, SETTINGS, **SINK_OPTIONS)


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
