"""Delta append and complete: Delta's streaming sink, which commits each micro-batch exactly once."""

from ..settings import with_trigger


def start(df, query_name, settings, output_mode, partition_by, merge_schema, drop_columns):
    """Streams into the Delta table at settings["sink_path"]."""
    writer = (
        df.drop(*drop_columns)
        .writeStream.format("delta")
        .outputMode(output_mode)
        .option("checkpointLocation", settings["checkpoint"])
        .queryName(query_name)
    )
    if merge_schema:
        writer = writer.option("mergeSchema", "true")
    if output_mode == "complete":
        writer = writer.option("overwriteSchema", "true")
    if partition_by:
        writer = writer.partitionBy(*partition_by)
    return with_trigger(writer, settings["trigger"]).start(settings["sink_path"])
