"""pytest fixtures of a pipeline's tests (the same in every pipeline repository)."""

import os

import pytest
from pyspark.sql import SparkSession


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """A local Spark session with Delta, in UTC like the job."""
    builder = (
        SparkSession.builder.master("local[1]")
        .appName("pipeline-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("warehouse")))
    )
    if "PYSPARK_SUBMIT_ARGS" not in os.environ:
        # No jars passed in (as the platform's scripts do): Delta's from delta-spark's pip package.
        from delta import configure_spark_with_delta_pip

        builder = configure_spark_with_delta_pip(builder)
    session = builder.getOrCreate()
    yield session
    session.stop()
