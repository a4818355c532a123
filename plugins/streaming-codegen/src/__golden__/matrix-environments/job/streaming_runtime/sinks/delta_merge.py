"""Delta merge: upserts each micro-batch in foreachBatch, applying CDC deletes as the spec says.

Idempotent: each merge carries (txnAppId, txnVersion) = (pipeline, batch id), and Delta skips
a pair it has committed, so a replayed batch changes nothing.
"""

from delta.tables import DeltaTable
from pyspark.sql import functions as F
from pyspark.sql.window import Window

from ..backfill import txn_app_id as transaction_app_id
from ..settings import quoted_column, with_trigger

# How a change event's delete ("__op" = "d") reaches the table.
DELETES = ("delete", "soft_delete", "ignore")


def quoted(alias, name):
    """A column of a merge side, quoted for Spark."""
    return F.col(alias + "." + quoted_column(name))


def latest_per_key(batch_df, merge_keys, cdc_columns):
    """One change per key: the last one of the batch (Kafka offset order per key for change events)."""
    if cdc_columns:
        order = Window.partitionBy(*merge_keys).orderBy(F.col("__kafka_offset").desc())
        ranked = batch_df.withColumn("__rank", F.row_number().over(order))
        return ranked.where(F.col("__rank") == 1).drop("__rank")
    return batch_df.dropDuplicates(merge_keys)


def with_last_live_values(batch_df, merge_keys, cdc_columns):
    """Each delete with the values of its key's last insert or update before it in the batch.

    A soft delete keeps the row as it was. Had the insert and the delete come in separate
    micro-batches, the table would hold the inserted values marked deleted; taking them here
    makes the table the same however the changes were cut into batches (a delete's own
    "before" image may hold the key alone: PostgreSQL's default replica identity). A delete
    with no such change in the batch keeps its "before" image.
    """
    values = [c for c in batch_df.columns if c not in cdc_columns and c not in merge_keys]
    if not values:
        return batch_df
    upto = (
        Window.partitionBy(*merge_keys)
        .orderBy(F.col("__kafka_offset"))
        .rowsBetween(Window.unboundedPreceding, Window.currentRow)
    )
    live_row = F.when(F.col("__op") != "d", F.struct(*[F.col(quoted_column(c)).alias(c) for c in values]))
    live = batch_df.withColumn("__live", F.last(live_row, ignorenulls=True).over(upto))
    takes_live = (F.col("__op") == "d") & F.col("__live").isNotNull()
    return live.select(
        *[
            F.when(takes_live, F.col("__live").getField(c)).otherwise(F.col(quoted_column(c))).alias(c)
            if c in values
            else F.col(quoted_column(c))
            for c in batch_df.columns
        ]
    )


def prepare_table(spark, data, path, partition_by, merge_schema):
    """Creates the table on the first batch; adds new columns when schema evolution is on."""
    if not DeltaTable.isDeltaTable(spark, path):
        writer = data.limit(0).write.format("delta").mode("ignore")
        if partition_by:
            writer = writer.partitionBy(*partition_by)
        writer.save(path)
    elif merge_schema:
        existing = set(DeltaTable.forPath(spark, path).toDF().columns)
        if any(c not in existing for c in data.columns):
            data.limit(0).write.format("delta").mode("append").option("mergeSchema", "true").save(path)


def merge_batch(batch_df, batch_id, path, txn_app_id, merge_keys, deletes, cdc_columns, partition_by, merge_schema):
    """Upserts one micro-batch into the Delta table at `path`."""
    if deletes not in DELETES:
        raise ValueError("deletes must be one of " + ", ".join(DELETES))
    spark = batch_df.sparkSession
    if deletes == "soft_delete" and cdc_columns:
        batch_df = with_last_live_values(batch_df, merge_keys, cdc_columns)
    changes = latest_per_key(batch_df, merge_keys, cdc_columns)
    columns = [c for c in changes.columns if c not in cdc_columns]
    if deletes == "soft_delete":
        changes = changes.withColumn("_deleted", F.col("__op") == "d")
        columns = columns + ["_deleted"]
    prepare_table(spark, changes.select(*columns), path, partition_by, merge_schema)
    condition = None
    for key in merge_keys:
        match = quoted("t", key) == quoted("s", key)
        condition = match if condition is None else condition & match
    values = {quoted_column(c): quoted("s", c) for c in columns}
    merge = DeltaTable.forPath(spark, path).alias("t").merge(changes.alias("s"), condition)
    if deletes == "delete":
        is_delete = F.col("s.__op") == "d"
        merge = merge.whenMatchedDelete(condition=is_delete)
        merge = merge.whenMatchedUpdate(condition=~is_delete, set=values)
        merge = merge.whenNotMatchedInsert(condition=~is_delete, values=values)
    elif deletes == "soft_delete":
        is_delete = F.col("s.__op") == "d"
        merge = merge.whenMatchedUpdate(condition=is_delete, set={"_deleted": F.lit(True)})
        merge = merge.whenMatchedUpdate(condition=~is_delete, set=values)
        # A key inserted and deleted within the batch is kept too, marked deleted.
        merge = merge.whenNotMatchedInsert(values=values)
    else:
        merge = merge.whenMatchedUpdate(set=values).whenNotMatchedInsert(values=values)
    spark.conf.set("spark.databricks.delta.write.txnAppId", txn_app_id)
    spark.conf.set("spark.databricks.delta.write.txnVersion", str(batch_id))
    try:
        merge.execute()
    finally:
        spark.conf.unset("spark.databricks.delta.write.txnAppId")
        spark.conf.unset("spark.databricks.delta.write.txnVersion")


def start(df, query_name, settings, output_mode, merge_keys, deletes, cdc_columns, partition_by, merge_schema):
    """Merges each micro-batch into the Delta table at settings["sink_path"]."""
    path = settings["sink_path"]
    # A backfill's batch ids start again at 0: its transactions have their own id.
    txn_app_id = transaction_app_id(query_name, settings)

    def merge_micro_batch(batch_df, batch_id):
        merge_batch(batch_df, batch_id, path, txn_app_id, merge_keys, deletes, cdc_columns, partition_by, merge_schema)

    writer = (
        df.writeStream.outputMode(output_mode)
        .option("checkpointLocation", settings["checkpoint"])
        .queryName(query_name)
        .foreachBatch(merge_micro_batch)
    )
    return with_trigger(writer, settings["trigger"]).start()
