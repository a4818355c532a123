# Generated from pipeline.yaml by the streaming platform: change the spec and render
# again rather than editing this file.
"""The PySpark Structured Streaming job of one pipeline (see pipeline.yaml)."""

import json
import logging
import os
import signal
import sys
import threading
import time

from delta.tables import DeltaTable
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.window import Window
from pyspark.sql.streaming import StreamingQueryListener

PIPELINE_NAME = "matrix-delta-merge"
QUERY_NAME = PIPELINE_NAME
TXN_APP_ID = "streaming-pipeline-" + PIPELINE_NAME
JOB_DIR = os.path.dirname(os.path.abspath(__file__))
LOG = logging.getLogger(PIPELINE_NAME)


def setting(name, default):
    """The environment variable `name` when set and not empty, else the spec's value."""
    value = os.environ.get(name, "")
    return value if value != "" else default


# Every setting: environment variable, else the value of the spec.
SETTINGS = {
    "bootstrap_servers": setting("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
    "source_path": setting("PIPELINE_SOURCE_PATH", "/data/delta/bronze_events"),
    "source_starting_version": setting("PIPELINE_SOURCE_STARTING_VERSION", "12"),
    "max_files_per_trigger": setting("PIPELINE_MAX_FILES_PER_TRIGGER", "100"),
    "checkpoint": setting("PIPELINE_CHECKPOINT", "/checkpoints/matrix-delta-merge"),
    "sink_path": setting("PIPELINE_SINK_PATH", "/data/delta/silver_daily"),
    "trigger": setting("PIPELINE_TRIGGER", None),
    "progress_topic": setting("STREAMING_PROGRESS_TOPIC", "streaming.progress"),
    "progress_bootstrap_servers": setting("STREAMING_PROGRESS_BOOTSTRAP_SERVERS", None),
    "stop_timeout_seconds": setting("PIPELINE_STOP_TIMEOUT_SECONDS", "60"),
}

SPARK_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.streaming.metricsEnabled": "true",
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    "spark.databricks.delta.schema.autoMerge.enabled": "true",
}


# Kafka client settings taken from the environment only (secrets never live in files).
KAFKA_SECURITY_ENV = (
    ("KAFKA_SECURITY_PROTOCOL", "security.protocol"),
    ("KAFKA_SASL_MECHANISM", "sasl.mechanism"),
    ("KAFKA_SASL_JAAS_CONFIG", "sasl.jaas.config"),
    ("KAFKA_SSL_TRUSTSTORE_LOCATION", "ssl.truststore.location"),
    ("KAFKA_SSL_TRUSTSTORE_PASSWORD", "ssl.truststore.password"),
)


def kafka_client_config(bootstrap_servers):
    """Kafka client properties: the servers plus security settings from the environment."""
    config = {"bootstrap.servers": bootstrap_servers}
    for env_name, key in KAFKA_SECURITY_ENV:
        if os.environ.get(env_name):
            config[key] = os.environ[env_name]
    return config


def kafka_options(bootstrap_servers):
    """The same properties as options of Spark's Kafka source and sink."""
    return {"kafka." + key: value for key, value in kafka_client_config(bootstrap_servers).items()}


def with_trigger(writer):
    """Applies the micro-batch trigger of the settings."""
    trigger = SETTINGS["trigger"]
    if trigger == "available_now":
        return writer.trigger(availableNow=True)
    if trigger:
        return writer.trigger(processingTime=trigger)
    return writer


def read_source(spark):
    """The source stream: the Delta table."""
    reader = spark.readStream.format("delta")
    if SETTINGS["source_starting_version"]:
        reader = reader.option("startingVersion", SETTINGS["source_starting_version"])
    if SETTINGS["max_files_per_trigger"]:
        reader = reader.option("maxFilesPerTrigger", SETTINGS["max_files_per_trigger"])
    reader = reader.option("skipChangeCommits", "true")
    df = reader.load(SETTINGS["source_path"])
    df = df.select(F.col("user_id"), F.col("amount"), F.col("event_time"))
    return df


def transform(spark, df):
    """The transformations of the spec, in order."""
    # 0: watermark
    df = df.withWatermark("event_time", "1 hour")
    # 1: aggregate
    df = df.groupBy(
        F.window(F.col("event_time"), "1 day").alias("window"),
        F.col("user_id"),
    ).agg(
        F.sum(F.col("amount")).alias("daily_amount"),
    )
    df = df.select(
        F.col("window.start").alias("window_start"),
        F.col("window.end").alias("window_end"),
        *[F.col(c) for c in df.columns if c != "window"],
    )
    return df


MERGE_KEYS = ["window_start", "user_id"]
CDC_COLUMNS = []


def quoted(alias, name):
    """A column of a merge side, quoted for Spark."""
    return F.col(alias + ".`" + name.replace("`", "``") + "`")


def latest_per_key(batch_df):
    """One change per key: the last one of the batch (Kafka offset order per key)."""
    return batch_df.dropDuplicates(MERGE_KEYS)


def prepare_table(spark, data):
    """Creates the table on the first batch; adds new columns when schema evolution is on."""
    path = SETTINGS["sink_path"]
    if not DeltaTable.isDeltaTable(spark, path):
        writer = data.limit(0).write.format("delta").mode("ignore")
        writer.save(path)
        return
    existing = set(DeltaTable.forPath(spark, path).toDF().columns)
    if any(c not in existing for c in data.columns):
        data.limit(0).write.format("delta").mode("append").option("mergeSchema", "true").save(path)


def merge_batch(batch_df, batch_id):
    """Upserts one micro-batch. Idempotent: Delta skips a (txnAppId, txnVersion) it has committed."""
    spark = batch_df.sparkSession
    changes = latest_per_key(batch_df)
    columns = [c for c in changes.columns if c not in CDC_COLUMNS]
    prepare_table(spark, changes.select(*columns))
    condition = None
    for key in MERGE_KEYS:
        match = quoted("t", key) == quoted("s", key)
        condition = match if condition is None else condition & match
    values = {"`" + c.replace("`", "``") + "`": quoted("s", c) for c in columns}
    merge = DeltaTable.forPath(spark, SETTINGS["sink_path"]).alias("t").merge(changes.alias("s"), condition)
    merge = merge.whenMatchedUpdate(set=values).whenNotMatchedInsert(values=values)
    spark.conf.set("spark.databricks.delta.write.txnAppId", TXN_APP_ID)
    spark.conf.set("spark.databricks.delta.write.txnVersion", str(batch_id))
    try:
        merge.execute()
    finally:
        spark.conf.unset("spark.databricks.delta.write.txnAppId")
        spark.conf.unset("spark.databricks.delta.write.txnVersion")


def start_query(df):
    """Merges each micro-batch into the Delta table (update mode)."""
    writer = (
        df.writeStream.outputMode("update")
        .option("checkpointLocation", SETTINGS["checkpoint"])
        .queryName(QUERY_NAME)
        .foreachBatch(merge_batch)
    )
    return with_trigger(writer).start()


class ProgressPublisher(StreamingQueryListener):
    """Publishes every StreamingQueryProgress (JSON) to the progress topic, keyed by pipeline.

    Uses the Kafka producer of the JVM (the Kafka connector's kafka-clients), so the job
    needs no Python Kafka client. Publishing never fails the query: errors are logged.
    """

    def __init__(self, spark):
        super().__init__()
        self._topic = SETTINGS["progress_topic"]
        self._producer = None
        self._query_id = None
        self._lock = threading.Lock()
        self._context = spark.sparkContext
        self._jvm = spark.sparkContext._jvm
        servers = SETTINGS["progress_bootstrap_servers"] or SETTINGS["bootstrap_servers"]
        properties = self._jvm.java.util.Properties()
        config = kafka_client_config(servers)
        config.update(
            {
                "key.serializer": "org.apache.kafka.common.serialization.StringSerializer",
                "value.serializer": "org.apache.kafka.common.serialization.StringSerializer",
                "client.id": "spark-pipeline-" + PIPELINE_NAME + "-progress",
                "acks": "1",
                "linger.ms": "50",
                "max.block.ms": "5000",
            }
        )
        for key, value in config.items():
            properties.setProperty(key, value)
        try:
            self._producer = self._jvm.org.apache.kafka.clients.producer.KafkaProducer(properties)
        except Exception:  # noqa: BLE001 - the pipeline runs on without progress events
            LOG.warning("progress events disabled: cannot create a Kafka producer", exc_info=True)

    def publish(self, progress_json):
        """Sends one progress event; returns whether it was handed to the producer."""
        with self._lock:
            if self._producer is None:
                return False
            try:
                record = self._jvm.org.apache.kafka.clients.producer.ProducerRecord(
                    self._topic, PIPELINE_NAME, progress_json
                )
                self._producer.send(record)
                return True
            except Exception:  # noqa: BLE001
                LOG.warning("could not publish a progress event", exc_info=True)
                return False

    # Listeners hear every query of the session (a driver may host several pipelines):
    # each one speaks only for its own query.
    def onQueryStarted(self, event):
        if event.name == QUERY_NAME:
            self._query_id = event.id
            LOG.info("query started: id=%s run=%s", event.id, event.runId)

    def runtime(self):
        """What the driver really runs, observed (not the spec's request): its master
        (local[2] is local mode with two threads), its default parallelism, and on a
        cluster the executors registered with it (the status tracker lists the driver too).
        """
        context = self._context
        master = str(context.master)[:64]
        executors = None
        if not master.startswith("local"):
            try:
                executors = max(0, len(context._jsc.sc().statusTracker().getExecutorInfos()) - 1)
            except Exception:  # noqa: BLE001 - an internal API: the count stays unknown
                LOG.info("could not count the executors", exc_info=True)
        return {
            "master": master,
            "defaultParallelism": int(context.defaultParallelism),
            "executors": executors,
        }

    def onQueryProgress(self, event):
        if event.progress.name == QUERY_NAME:
            progress = json.loads(event.progress.json)
            progress["runtime"] = self.runtime()
            self.publish(json.dumps(progress))

    def onQueryIdle(self, event):
        pass

    def onQueryTerminated(self, event):
        if event.id == self._query_id:
            LOG.info("query terminated: id=%s", event.id)

    def close(self):
        """Flushes and closes the producer."""
        with self._lock:
            producer, self._producer = self._producer, None
        if producer is not None:
            try:
                producer.flush()
                producer.close()
            except Exception:  # noqa: BLE001
                LOG.warning("could not close the progress producer", exc_info=True)


def drain_listener_events(spark, timeout_ms=10000):
    """Waits until Spark has delivered its pending listener events (the last progress)."""
    try:
        spark.sparkContext._jsc.sc().listenerBus().waitUntilEmpty(timeout_ms)
    except Exception:  # noqa: BLE001 - an internal API: without it, the last event may be lost
        LOG.info("could not wait for pending listener events", exc_info=True)


def create_spark():
    """The Spark session, with the settings this pipeline needs."""
    builder = SparkSession.builder.appName(PIPELINE_NAME)
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def stop_gracefully(query):
    """Lets the running micro-batch finish (up to the stop timeout), then stops the query."""
    deadline = time.monotonic() + float(SETTINGS["stop_timeout_seconds"])
    while query.isActive and query.status.get("isTriggerActive") and time.monotonic() < deadline:
        time.sleep(0.2)
    query.stop()


def start(spark):
    """Starts the pipeline's query on a Spark session, which may host other pipelines' queries.

    Returns the query and its progress publisher, for stop().
    """
    publisher = ProgressPublisher(spark)
    spark.streams.addListener(publisher)
    return start_query(transform(spark, read_source(spark))), publisher


def stop(spark, query, publisher):
    """Stops the query after its running micro-batch and publishes its last progress events."""
    if query.isActive:
        stop_gracefully(query)
    drain_listener_events(spark)
    spark.streams.removeListener(publisher)
    publisher.close()


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop_requested = threading.Event()

    def request_stop(signum, _frame):
        LOG.info("signal %s: stopping after the running micro-batch", signum)
        stop_requested.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    spark = create_spark()
    query, publisher = start(spark)
    failure = None
    try:
        while query.isActive and not stop_requested.is_set():
            query.awaitTermination(5)
    except Exception as error:  # noqa: BLE001 - reported below, exit code 1
        failure = error
    stop(spark, query, publisher)
    spark.stop()
    if failure is not None:
        LOG.error("the query failed: %s", failure)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
