"""The dead-letter path: the records a pipeline cannot parse, written where the spec says.

A second streaming query of the pipeline reads the source topic with its own checkpoint and
writes each record that does not parse (the same test as the decoders make, so the same
records) as it was read, with the error and its source topic, partition, offset and timestamp:
- to a Kafka topic: key and value bytes unchanged (a replay is a copy back to the source
  topic), the rest in headers (HEADERS, values UTF-8 text, the timestamp in epoch milliseconds);
- to a Delta table: the columns of COLUMNS.
"""

from pyspark.sql import functions as F

from .settings import kafka_options, with_trigger

# The dead-letter query's name: no pipeline name contains "/", so it collides with none.
QUERY_NAME_PREFIX = "dead-letter/"
# Kafka headers of a dead-lettered record: (header, column).
HEADERS = (
    ("dead-letter.error", "error"),
    ("dead-letter.pipeline", "pipeline"),
    ("dead-letter.topic", "topic"),
    ("dead-letter.partition", "partition"),
    ("dead-letter.offset", "offset"),
    ("dead-letter.timestamp", "timestamp_ms"),
)
# The columns of the Delta quarantine table.
COLUMNS = ("key", "value", "error", "pipeline", "topic", "partition", "offset", "timestamp")


def checkpoint(settings):
    """The dead-letter query's checkpoint: its setting, else `dead-letter` inside the pipeline's."""
    return settings["dead_letter_checkpoint"] or settings["checkpoint"].rstrip("/") + "/dead-letter"


def with_pipeline(bad, pipeline_name):
    """The bad records (KAFKA_RECORD_COLUMNS and error) with the pipeline's name, in COLUMNS order."""
    return bad.withColumn("pipeline", F.lit(pipeline_name)).select(*COLUMNS)


def kafka_records(rows):
    """Dead-letter rows as Kafka records: key, value as read, and the headers."""
    text = rows.withColumn("timestamp_ms", F.unix_millis(F.col("timestamp")))
    headers = F.array(
        *[
            F.struct(F.lit(header).alias("key"), F.col(column).cast("string").cast("binary").alias("value"))
            for header, column in HEADERS
        ]
    )
    return text.select("key", "value", headers.alias("headers"))


def start(bad, pipeline_name, settings, target):
    """Streams the bad records into the dead-letter target: "kafka" (settings["dead_letter_topic"],
    on the source's cluster) or "delta" (settings["dead_letter_path"])."""
    rows = with_pipeline(bad, pipeline_name)
    if target == "kafka":
        writer = (
            kafka_records(rows)
            .writeStream.format("kafka")
            .options(**kafka_options(settings["bootstrap_servers"]))
            .option("topic", settings["dead_letter_topic"])
        )
    else:
        writer = rows.writeStream.format("delta").outputMode("append").option("path", settings["dead_letter_path"])
    writer = writer.option("checkpointLocation", checkpoint(settings)).queryName(QUERY_NAME_PREFIX + pipeline_name)
    return with_trigger(writer, settings["trigger"]).start()
