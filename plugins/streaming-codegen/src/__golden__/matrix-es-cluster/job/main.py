# Generated from pipeline.yaml by the streaming platform: change the spec and render
# again rather than editing this file.
"""The PySpark Structured Streaming job of one pipeline (see pipeline.yaml).

What the spec decides: settings, schema, source, transformations and sink options.
The rest is the streaming_runtime package beside this file.
"""

import sys

from pyspark.sql import types as T

from streaming_runtime import job, sources
from streaming_runtime.settings import setting
from streaming_runtime.sinks import elasticsearch

PIPELINE_NAME = "matrix-es-cluster"

# Every setting: environment variable, else the value of the spec.
SETTINGS = {
    "bootstrap_servers": setting("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
    "source_topic": setting("PIPELINE_SOURCE_TOPIC", "matrix-logs"),
    "starting_offsets": setting("PIPELINE_STARTING_OFFSETS", "latest"),
    "max_offsets_per_trigger": setting("PIPELINE_MAX_OFFSETS_PER_TRIGGER", None),
    "fail_on_data_loss": setting("PIPELINE_FAIL_ON_DATA_LOSS", "true"),
    "checkpoint": setting("PIPELINE_CHECKPOINT", "/checkpoints/matrix-es-cluster"),
    "elasticsearch_nodes": setting("ELASTICSEARCH_NODES", None),
    "sink_index": setting("PIPELINE_SINK_INDEX", "matrix-logs-errors"),
    "trigger": setting("PIPELINE_TRIGGER", None),
    "progress_topic": setting("STREAMING_PROGRESS_TOPIC", "streaming.progress"),
    "progress_bootstrap_servers": setting("STREAMING_PROGRESS_BOOTSTRAP_SERVERS", None),
    "stop_timeout_seconds": setting("PIPELINE_STOP_TIMEOUT_SECONDS", "60"),
}

SPARK_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.streaming.metricsEnabled": "true",
}

# The sink and its options.
SINK_OPTIONS = {
    "id_column": None,
    "write_operation": "create",
    "drop_columns": [],
}


# The row schema, from the fields of the spec.
ROW_SCHEMA = T.StructType(
  [
    T.StructField("level", T.StringType(), True),
    T.StructField("message", T.StringType(), True),
    T.StructField("ts", T.TimestampType(), True),
  ]
)


def decode_records(records):
    """Kafka records to rows: JSON parsed with the row schema."""
    return sources.decode_json(records, ROW_SCHEMA)


def read_source(spark):
    """The source stream: the records of the source topic, decoded."""
    return decode_records(sources.read_kafka(spark, PIPELINE_NAME, SETTINGS))


# The steps of the spec, in order.
STEPS = []


def transform(spark, df):
    """The transformations of the spec, in order."""
    for step in STEPS:
        df = step(spark, df)
    return df


def start_query(df):
    """Streams into the Elasticsearch index."""
    return elasticsearch.start(df, PIPELINE_NAME, SETTINGS, **SINK_OPTIONS)


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
