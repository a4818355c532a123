"""A pipeline job's life: its Spark session, start, graceful stop and the main loop."""

import logging
import signal
import threading
import time

from pyspark.sql import SparkSession

from . import backfill
from .progress import ProgressPublisher, drain_listener_events
from .settings import pipeline_environment

LOG = logging.getLogger(__name__)


def create_spark(app_name, spark_conf):
    """The Spark session, with the settings the pipeline needs."""
    builder = SparkSession.builder.appName(app_name)
    for key, value in spark_conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


class QueryGroup:
    """A pipeline's queries (its own and its dead-letter query) watched and stopped as one:
    active while any of them is, failed when one failed. Reads like a StreamingQuery."""

    def __init__(self, queries):
        self.queries = list(queries)

    @property
    def isActive(self):  # noqa: N802 - StreamingQuery's interface
        return any(query.isActive for query in self.queries)

    @property
    def status(self):
        return {"isTriggerActive": any(query.status.get("isTriggerActive") for query in self.queries)}

    def awaitTermination(self, timeout):  # noqa: N802
        """Waits up to `timeout` seconds in all; raises the failure of a query that failed."""
        failure = self.exception()
        if failure is not None:
            raise failure
        active = [query for query in self.queries if query.isActive]
        return all(query.awaitTermination(float(timeout) / len(active)) for query in active)

    def exception(self):
        """The failure of the first query that failed, else None."""
        stopped = (query.exception() for query in self.queries if not query.isActive)
        return next((failure for failure in stopped if failure is not None), None)

    def stop(self):
        for query in self.queries:
            query.stop()


def stop_gracefully(query, timeout_seconds):
    """Lets the running micro-batch finish (up to `timeout_seconds`), then stops the query."""
    deadline = time.monotonic() + float(timeout_seconds)
    while query.isActive and query.status.get("isTriggerActive") and time.monotonic() < deadline:
        time.sleep(0.2)
    query.stop()


def start(spark, pipeline_name, settings, start_query):
    """Starts a pipeline's query on a Spark session, which may host other pipelines' queries.

    `start_query()` starts the query itself. Returns the query and its progress publisher, for stop().
    With PIPELINE_ENVIRONMENT set, settings["environment"] names it (its progress events are keyed
    <pipeline>@<environment>); with PIPELINE_BACKFILL_ID set, the settings become its backfill's
    first (streaming_runtime.backfill).
    """
    environment = pipeline_environment()
    if environment is not None:
        settings["environment"] = environment
        LOG.info("environment %s: progress events keyed %s@%s", environment, pipeline_name, environment)
    requested = backfill.from_environment()
    if requested is not None:
        backfill.apply(spark, pipeline_name, settings, requested)
        LOG.info("backfill %s: checkpoint %s", requested["id"], settings["checkpoint"])
    publisher = ProgressPublisher(spark, pipeline_name, settings)
    spark.streams.addListener(publisher)
    return start_query(), publisher


def stop(spark, query, publisher, settings):
    """Stops the query after its running micro-batch and publishes its last progress events."""
    if query.isActive:
        stop_gracefully(query, settings["stop_timeout_seconds"])
    drain_listener_events(spark)
    spark.streams.removeListener(publisher)
    publisher.close()


def main(pipeline_name, spark_conf, start_pipeline, stop_pipeline):
    """Runs one pipeline until its query fails or SIGTERM/SIGINT; the exit code (1: the query failed)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop_requested = threading.Event()

    def request_stop(signum, _frame):
        LOG.info("signal %s: stopping after the running micro-batch", signum)
        stop_requested.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    # A bad environment name fails the job before it starts Spark.
    pipeline_environment()
    spark = create_spark(pipeline_name, spark_conf)
    query, publisher = start_pipeline(spark)
    failure = None
    try:
        while query.isActive and not stop_requested.is_set():
            query.awaitTermination(5)
    except Exception as error:  # noqa: BLE001 - reported below, exit code 1
        failure = error
    if failure is None and not stop_requested.is_set():
        failure = query.exception()
    stop_pipeline(spark, query, publisher)
    spark.stop()
    if failure is not None:
        LOG.error("the query failed: %s", failure)
        return 1
    return 0
