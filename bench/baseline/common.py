"""What both hand-written baselines share: their command line and the Kafka stream they read.

The baselines are the PySpark a data engineer would write by hand for the same queries
as the generated User Events and Clickstream jobs (bench/jobs.ts runs both on the same
records): the same source options, the same sink type (Delta, append) and
`trigger(availableNow=True)`, and nothing else (no progress publisher, no observed
metrics, no settings layer).
"""

import argparse

from pyspark.sql import SparkSession


def arguments(description, dead_letter=False):
    """The command line: broker, topic, Delta table, checkpoint and the batch limit (and with
    `dead_letter` the dead-letter topic and its query's checkpoint)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bootstrap-servers", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--output", required=True, help="the Delta table's path")
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--max-offsets-per-trigger", type=int)
    if dead_letter:
        parser.add_argument("--dead-letter-topic", required=True)
        parser.add_argument("--dead-letter-checkpoint", required=True)
    return parser.parse_args()


def session(app_name):
    """The Spark session (the Delta extensions come from spark-submit's --conf)."""
    return SparkSession.builder.appName(app_name).config("spark.sql.session.timeZone", "UTC").getOrCreate()


def kafka_records(spark, args):
    """The source topic's records from the earliest offset: key, value, topic, partition, offset, timestamp."""
    reader = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", args.bootstrap_servers)
        .option("subscribe", args.topic)
        .option("startingOffsets", "earliest")
        .option("failOnDataLoss", "true")
    )
    if args.max_offsets_per_trigger:
        reader = reader.option("maxOffsetsPerTrigger", args.max_offsets_per_trigger)
    return reader.load()


def kafka_values(spark, args):
    """The source topic's record values from the earliest offset, as text."""
    return kafka_records(spark, args).selectExpr("CAST(value AS STRING) AS value")


def start_delta(df, args):
    """Starts appending to the Delta table once over everything in the topic."""
    return (
        df.writeStream.format("delta")
        .outputMode("append")
        .option("checkpointLocation", args.checkpoint)
        .trigger(availableNow=True)
        .start(args.output)
    )


def write_delta(df, args):
    """Appends to the Delta table once over everything in the topic, then returns."""
    start_delta(df, args).awaitTermination()
