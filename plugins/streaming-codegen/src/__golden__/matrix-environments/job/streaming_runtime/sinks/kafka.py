"""Kafka: each row as a JSON value, with an optional key column."""

from pyspark.sql import functions as F

from ..settings import kafka_options, quoted_column, with_trigger


def start(df, query_name, settings, output_mode, key_column, drop_columns):
    """Streams into the topic settings["sink_topic"]."""
    df = df.drop(*drop_columns)
    value = F.to_json(F.struct(*[F.col(quoted_column(c)) for c in df.columns]))
    key = F.col(key_column).cast("string") if key_column else F.lit(None).cast("string")
    servers = settings["sink_bootstrap_servers"] or settings["bootstrap_servers"]
    writer = (
        df.select(key.alias("key"), value.alias("value"))
        .writeStream.format("kafka")
        .outputMode(output_mode)
        .options(**kafka_options(servers))
        .option("topic", settings["sink_topic"])
        .option("checkpointLocation", settings["checkpoint"])
        .queryName(query_name)
    )
    return with_trigger(writer, settings["trigger"]).start()
