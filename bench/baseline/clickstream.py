"""Clickstream by hand: clicks and sessions per page in 10-minute windows sliding every minute."""

from common import arguments, kafka_values, session, write_delta
from pyspark.sql import functions as F
from pyspark.sql import types as T

SCHEMA = T.StructType(
    [
        T.StructField("session_id", T.StringType()),
        T.StructField("user_id", T.StringType()),
        T.StructField("page", T.StringType()),
        T.StructField("referrer", T.StringType()),
        T.StructField("ts", T.TimestampType()),
    ]
)


def main():
    args = arguments(__doc__)
    spark = session("clickstream-baseline")
    clicks = kafka_values(spark, args).select(F.from_json("value", SCHEMA).alias("c")).select("c.*")
    per_page = (
        clicks.where(F.col("page").isNotNull() & ~F.col("referrer").like("%bot%"))
        .withWatermark("ts", "2 minutes")
        .groupBy(F.window("ts", "10 minutes", "1 minute"), "page")
        .agg(F.count("*").alias("clicks"), F.approx_count_distinct("session_id").alias("sessions"))
        .select(
            F.col("window.start").alias("window_start"),
            F.col("window.end").alias("window_end"),
            "page",
            "clicks",
            "sessions",
        )
    )
    write_delta(per_page, args)
    spark.stop()


if __name__ == "__main__":
    main()
