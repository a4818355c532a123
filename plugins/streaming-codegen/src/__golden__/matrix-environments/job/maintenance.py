# Generated from pipeline.yaml by the streaming platform.
"""Weekly maintenance of the pipeline's Delta table: OPTIMIZE (Z-ORDER) and VACUUM."""

import logging
import os
import sys

from delta.tables import DeltaTable
from pyspark.sql import SparkSession

PIPELINE_NAME = "matrix-environments"
TABLE_PATH = os.environ.get("PIPELINE_SINK_PATH") or "/data/delta/orders"
ZORDER_BY = []
RETENTION_HOURS = float(os.environ.get("PIPELINE_VACUUM_RETENTION_HOURS") or 168)
LOG = logging.getLogger(PIPELINE_NAME + "-maintenance")


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    spark = (
        SparkSession.builder.appName(PIPELINE_NAME + "-maintenance")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate()
    )
    if not DeltaTable.isDeltaTable(spark, TABLE_PATH):
        LOG.info("no Delta table yet at the sink path: nothing to do")
        spark.stop()
        return 0
    table = DeltaTable.forPath(spark, TABLE_PATH)
    optimize = table.optimize()
    metrics = optimize.executeZOrderBy(*ZORDER_BY) if ZORDER_BY else optimize.executeCompaction()
    LOG.info("optimized: %s", metrics.collect()[0].asDict(recursive=True))
    table.vacuum(RETENTION_HOURS)
    LOG.info("vacuumed files older than %s hours", RETENTION_HOURS)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
