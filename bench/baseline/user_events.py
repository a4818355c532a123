"""User Events by hand: events per type and country in 5-minute windows, heartbeats left out."""

from common import arguments, kafka_values, session, write_delta
from pyspark.sql import functions as F
from pyspark.sql import types as T

SCHEMA = T.StructType(
    [
        T.StructField("user_id", T.StringType()),
        T.StructField("event_type", T.StringType()),
        T.StructField("country", T.StringType()),
        T.StructField("amount", T.DoubleType()),
        T.StructField("timestamp", T.LongType()),
    ]
)


def summary(events):
    """The aggregation of the parsed events (the same in user_events_dead_letter.py)."""
    return (
        events.withColumn("timestamp", F.timestamp_millis("timestamp"))
        .where(F.col("event_type") != "heartbeat")
        .withWatermark("timestamp", "10 minutes")
        .groupBy(F.window("timestamp", "5 minutes"), "event_type", "country")
        .agg(
            F.count("*").alias("event_count"),
            F.sum("amount").alias("total_amount"),
            F.approx_count_distinct("user_id").alias("unique_users"),
        )
        .select(
            F.col("window.start").alias("window_start"),
            F.col("window.end").alias("window_end"),
            "event_type",
            "country",
            "event_count",
            "total_amount",
            "unique_users",
        )
    )


def main():
    args = arguments(__doc__)
    spark = session("user-events-baseline")
    events = kafka_values(spark, args).select(F.from_json("value", SCHEMA).alias("e")).select("e.*")
    write_delta(summary(events), args)
    spark.stop()


if __name__ == "__main__":
    main()
