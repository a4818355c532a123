"""User Events by hand with its dead-letter topic: the aggregation of user_events.py over the
records that parse, and a second query writing those that do not to a Kafka topic.

A record is bad when its value is not JSON that fits the schema or misses a required field
(user_id, event_type, country, timestamp), the same test as the generated job's. A bad record
goes to the dead-letter topic as it was read: key and value unchanged, the error, the pipeline's
name and where the record came from (topic, partition, offset, timestamp in epoch milliseconds)
in headers, as the generated job writes them. Each query reads the topic with its own checkpoint.
"""

from common import arguments, kafka_records, session, start_delta
from pyspark.sql import functions as F
from pyspark.sql import types as T
from user_events import SCHEMA, summary

PIPELINE = "user-events"
REQUIRED = ("user_id", "event_type", "country", "timestamp")
CORRUPT = "_corrupt_record"


def parsed(records):
    """The records with their value parsed (`e`; a value that does not fit leaves its text in CORRUPT)
    and whether they are bad (`bad`)."""
    schema = T.StructType(SCHEMA.fields + [T.StructField(CORRUPT, T.StringType())])
    options = {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT}
    rows = records.where(F.col("value").isNotNull()).withColumn(
        "e", F.from_json(F.col("value").cast("string"), schema, options)
    )
    bad = F.col("e." + CORRUPT).isNotNull()
    for field in REQUIRED:
        bad = bad | F.col("e." + field).isNull()
    return rows.withColumn("bad", bad)


def dead_letters(records):
    """The bad records as Kafka records: key and value as read, the rest in headers."""
    bad = parsed(records).where("bad")
    error = F.when(
        F.from_json(F.col("value").cast("string"), "map<string,string>").isNull(),
        F.lit("malformed JSON: not a JSON object"),
    ).otherwise(F.lit("does not match the schema"))
    headers = {
        "dead-letter.error": error,
        "dead-letter.pipeline": F.lit(PIPELINE),
        "dead-letter.topic": F.col("topic"),
        "dead-letter.partition": F.col("partition"),
        "dead-letter.offset": F.col("offset"),
        "dead-letter.timestamp": F.unix_millis("timestamp"),
    }
    header_array = F.array(
        *[F.struct(F.lit(k).alias("key"), v.cast("string").cast("binary").alias("value")) for k, v in headers.items()]
    )
    return bad.select("key", "value", header_array.alias("headers"))


def main():
    args = arguments(__doc__, dead_letter=True)
    spark = session("user-events-dead-letter-baseline")
    events = parsed(kafka_records(spark, args)).where(~F.col("bad")).select("e.*").drop(CORRUPT)
    pipeline = start_delta(summary(events), args)
    dead = (
        dead_letters(kafka_records(spark, args))
        .writeStream.format("kafka")
        .option("kafka.bootstrap.servers", args.bootstrap_servers)
        .option("topic", args.dead_letter_topic)
        .option("checkpointLocation", args.dead_letter_checkpoint)
        .trigger(availableNow=True)
        .start()
    )
    pipeline.awaitTermination()
    dead.awaitTermination()
    spark.stop()


if __name__ == "__main__":
    main()
