"""Delta append and complete: Delta's streaming sink, which commits each micro-batch exactly once.

A backfill (streaming_runtime.backfill) appends through foreachBatch instead, each batch a Delta
transaction (txnAppId = the backfill's, txnVersion = the batch id) that Delta commits once.
"""

from ..backfill import txn_app_id
from ..settings import with_trigger


def append_batch(batch_df, batch_id, path, app_id, partition_by, merge_schema):
    """Appends one micro-batch to the Delta table at `path`, skipped if (app_id, batch_id) is committed."""
    writer = (
        batch_df.write.format("delta").mode("append").option("txnAppId", app_id).option("txnVersion", str(batch_id))
    )
    if merge_schema:
        writer = writer.option("mergeSchema", "true")
    if partition_by:
        writer = writer.partitionBy(*partition_by)
    writer.save(path)


def start_backfill(df, query_name, settings, output_mode, partition_by, merge_schema):
    """A backfill's append: foreachBatch with its own Delta transaction id."""
    if output_mode != "append":
        raise ValueError(
            "a backfill appends to the sink: a " + output_mode + "-mode sink would be replaced by the backfill's range"
        )
    path = settings["sink_path"]
    app_id = txn_app_id(query_name, settings)

    def append_micro_batch(batch_df, batch_id):
        append_batch(batch_df, batch_id, path, app_id, partition_by, merge_schema)

    writer = (
        df.writeStream.outputMode("append")
        .option("checkpointLocation", settings["checkpoint"])
        .queryName(query_name)
        .foreachBatch(append_micro_batch)
    )
    return with_trigger(writer, settings["trigger"]).start()


def start(df, query_name, settings, output_mode, partition_by, merge_schema, drop_columns):
    """Streams into the Delta table at settings["sink_path"]."""
    if settings.get("backfill"):
        return start_backfill(df.drop(*drop_columns), query_name, settings, output_mode, partition_by, merge_schema)
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
