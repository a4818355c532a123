"""The warm-up job of scripts/spark.sh's class data sharing archive.

What a generated pipeline's Spark does as it starts and runs its first batches, on a few
rows in a scratch folder (the only argument): a session with the Delta extensions, a Delta
write, a merge, a streaming query from that table merged into another one batch by batch,
and a read back. The JVM archives the classes this loaded when it exits, which this waits
for.
"""

import sys
from pathlib import Path

from delta.tables import DeltaTable
from pyspark.sql import SparkSession

work = Path(sys.argv[1])
table, stream, checkpoint = (
    str(work / name) for name in ("table", "stream", "checkpoint")
)
spark = SparkSession.builder.appName("spark-warmup").getOrCreate()
rows = spark.range(100).selectExpr("id", "id % 3 AS k", "current_timestamp() AS ts")
rows.write.format("delta").mode("overwrite").save(table)
(
    DeltaTable.forPath(spark, table)
    .alias("t")
    .merge(rows.alias("s"), "t.id = s.id")
    .whenMatchedUpdateAll()
    .whenNotMatchedInsertAll()
    .execute()
)


def merge_batch(batch, _batch_id):
    if not DeltaTable.isDeltaTable(spark, stream):
        batch.write.format("delta").save(stream)
        return
    (
        DeltaTable.forPath(spark, stream)
        .alias("t")
        .merge(batch.alias("s"), "t.id = s.id")
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute()
    )


query = (
    spark.readStream.format("delta")
    .load(table)
    .withWatermark("ts", "10 seconds")
    .writeStream.foreachBatch(merge_batch)
    .option("checkpointLocation", checkpoint)
    .trigger(availableNow=True)
    .start()
)
query.awaitTermination()
counted = spark.read.format("delta").load(table).groupBy("k").count().collect()
print(
    f"warm-up: {len(counted)} groups, {query.recentProgress[0]['numInputRows']} streamed rows"
)
# The JVM writes the archive as it exits: it exits when its standard input closes, and
# the writing takes seconds, so this waits for it.
jvm = spark.sparkContext._gateway.proc
spark.stop()
jvm.stdin.close()
jvm.wait()
