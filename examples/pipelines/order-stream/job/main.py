# Generated from pipeline.yaml by the streaming platform: change the spec and render
# again rather than editing this file.
"""The PySpark Structured Streaming job of one pipeline (see pipeline.yaml).

What the spec decides: settings, schema, source, transformations and sink options.
The rest is the streaming_runtime package beside this file.
"""

import os
import sys

from pyspark.sql import functions as F
from pyspark.sql import types as T

from streaming_runtime import job, schemas, sources
from streaming_runtime.settings import setting
from streaming_runtime.sinks import delta

PIPELINE_NAME = "order-stream"
# Relative paths of the spec (the schema file) are from the repository root.
REPOSITORY_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Every setting: environment variable, else the value of the spec.
SETTINGS = {
    "bootstrap_servers": setting("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
    "source_topic": setting("PIPELINE_SOURCE_TOPIC", "orders"),
    "starting_offsets": setting("PIPELINE_STARTING_OFFSETS", "earliest"),
    "max_offsets_per_trigger": setting("PIPELINE_MAX_OFFSETS_PER_TRIGGER", None),
    "fail_on_data_loss": setting("PIPELINE_FAIL_ON_DATA_LOSS", "true"),
    "schema_file": setting("PIPELINE_SCHEMA_FILE", "schemas/order.schema.json"),
    "checkpoint": setting("PIPELINE_CHECKPOINT", "/checkpoints/order-stream"),
    "sink_path": setting("PIPELINE_SINK_PATH", "/data/delta/order_facts"),
    "trigger": setting("PIPELINE_TRIGGER", "3 seconds"),
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


# The row schema, from the schema file named in the spec.
ROW_SCHEMA = schemas.load_json_schema(SETTINGS["schema_file"], REPOSITORY_DIR)


def decode_records(records):
    """Kafka records to rows: JSON parsed with the row schema."""
    return sources.decode_json(records, ROW_SCHEMA)


def read_source(spark):
    """The source stream: the records of the source topic, decoded."""
    return decode_records(sources.read_kafka(spark, PIPELINE_NAME, SETTINGS))


def step_0_filter(spark, df):
    """Step 0 of the spec: filter."""
    df = df.where((F.col("status").isin("created", "paid", "shipped") & (F.col("total") > F.lit(0))))
    return df


def step_1_select(spark, df):
    """Step 1 of the spec: select."""
    df = df.select(
        F.col("order_id"),
        F.col("customer_id"),
        F.col("status"),
        F.col("total").cast(T.DoubleType()).alias("total"),
        F.col("currency").alias("currency"),
        F.col("created_at").cast(T.TimestampType()).alias("order_time"),
    )
    return df


def step_2_watermark(spark, df):
    """Step 2 of the spec: watermark."""
    df = df.withWatermark("order_time", "15 minutes")
    return df


def step_3_deduplicate(spark, df):
    """Step 3 of the spec: deduplicate."""
    df = df.dropDuplicatesWithinWatermark(["order_id", "status"])
    return df


# The steps of the spec, in order.
STEPS = [step_0_filter, step_1_select, step_2_watermark, step_3_deduplicate]


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
