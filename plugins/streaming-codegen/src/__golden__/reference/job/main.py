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

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.streaming import StreamingQueryListener

PIPELINE_NAME = "user-events-to-delta"
QUERY_NAME = PIPELINE_NAME
JOB_DIR = os.path.dirname(os.path.abspath(__file__))
LOG = logging.getLogger(PIPELINE_NAME)


def setting(name, default):
    """The environment variable `name` when set and not empty, else the spec's value."""
    value = os.environ.get(name, "")
    return value if value != "" else default


# Every setting: environment variable, else the value of the spec.
SETTINGS = {
    "bootstrap_servers": setting("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
    "source_topic": setting("PIPELINE_SOURCE_TOPIC", "user-events"),
    "starting_offsets": setting("PIPELINE_STARTING_OFFSETS", "latest"),
    "max_offsets_per_trigger": setting("PIPELINE_MAX_OFFSETS_PER_TRIGGER", None),
    "fail_on_data_loss": setting("PIPELINE_FAIL_ON_DATA_LOSS", "true"),
    "schema_file": setting("PIPELINE_SCHEMA_FILE", "schemas/user_event.avsc"),
    "checkpoint": setting("PIPELINE_CHECKPOINT", "/checkpoints/user_events"),
    "sink_path": setting("PIPELINE_SINK_PATH", "/data/delta/user_events_agg"),
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


def read_schema_file(path):
    """The text of a schema file; relative paths are from the repository root."""
    if not os.path.isabs(path):
        path = os.path.join(JOB_DIR, os.pardir, path)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


AVRO_PRIMITIVES = {
    "string": T.StringType(),
    "int": T.IntegerType(),
    "long": T.LongType(),
    "float": T.FloatType(),
    "double": T.DoubleType(),
    "boolean": T.BooleanType(),
    "bytes": T.BinaryType(),
    "fixed": T.BinaryType(),
    "enum": T.StringType(),
}
AVRO_TIMESTAMPS = ("timestamp-millis", "timestamp-micros", "local-timestamp-millis", "local-timestamp-micros")


def avro_to_spark(avro_type):
    """The Spark type of an Avro type (as JSON payloads carry it)."""
    if isinstance(avro_type, list):
        others = [t for t in avro_type if t != "null"]
        return avro_to_spark(others[0]) if len(others) == 1 else T.StringType()
    if isinstance(avro_type, dict):
        logical = avro_type.get("logicalType")
        if logical in AVRO_TIMESTAMPS:
            return T.TimestampType()
        if logical == "date":
            return T.DateType()
        kind = avro_type.get("type")
        if kind == "record":
            return T.StructType(
                [T.StructField(f["name"], avro_to_spark(f["type"]), True) for f in avro_type.get("fields", [])]
            )
        if kind == "array":
            return T.ArrayType(avro_to_spark(avro_type.get("items")))
        if kind == "map":
            return T.MapType(T.StringType(), avro_to_spark(avro_type.get("values")))
        return avro_to_spark(kind)
    return AVRO_PRIMITIVES.get(avro_type, T.StringType())


def load_schema(path):
    """The row schema of an Avro schema file (.avsc)."""
    return avro_to_spark(json.loads(read_schema_file(path)))


# The row schema, from the schema file named in the spec.
ROW_SCHEMA = load_schema(SETTINGS["schema_file"])


def read_schema(schema):
    """The schema to parse with (top-level timestamps and dates read as text) and those columns."""
    times = [f for f in schema.fields if isinstance(f.dataType, (T.TimestampType, T.DateType))]
    read = T.StructType(
        [
            T.StructField(f.name, T.StringType(), True) if f in times else f
            for f in schema.fields
        ]
    )
    return read, times


def parse_time(column, data_type):
    """ISO text, or epoch numbers (seconds, milliseconds or microseconds by magnitude; days for dates)."""
    text = F.trim(column)
    number = text.cast("double")
    is_number = text.rlike("^-?[0-9]+(\\.[0-9]+)?$")
    if isinstance(data_type, T.DateType):
        return F.when(is_number, F.date_from_unix_date(number.cast("int"))).otherwise(F.to_date(text))
    micros = (
        F.when(F.abs(number) >= 1e14, number)
        .when(F.abs(number) >= 1e11, number * 1000)
        .otherwise(number * 1000000)
    )
    return F.when(is_number, F.timestamp_micros(micros.cast("long"))).otherwise(F.to_timestamp(text))


def convert_times(df, times):
    """Turns the text read for timestamp and date columns into their types."""
    return df.withColumns({f.name: parse_time(F.col(f.name), f.dataType) for f in times})


# Every progress event reports this observation of the micro-batch's Kafka records
# (StreamingQueryProgress.observedMetrics): their bytes and those that could not be parsed.
OBSERVATION = "pipeline"


def observe_input(df, unparsed):
    """Observes the records of each micro-batch: bytes of keys and values, and unparseable ones."""
    record_bytes = F.coalesce(F.length("key"), F.lit(0)) + F.coalesce(F.length("value"), F.lit(0))
    return df.observe(
        OBSERVATION,
        F.coalesce(F.sum(record_bytes), F.lit(0)).alias("input_bytes"),
        F.count(F.when(unparsed, 1)).alias("bad_records"),
    )


# The column that receives the text of a record that does not parse.
UNPARSED = "__unparsed"


def parse_json(value, schema):
    """JSON text parsed with the schema; a record that does not fit it leaves its text in UNPARSED."""
    return F.from_json(
        value.cast("string"),
        T.StructType(schema.fields + [T.StructField(UNPARSED, T.StringType(), True)]),
        {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": UNPARSED},
    )


def read_kafka(spark):
    """The Kafka records of the source topic (one consumer identity per pipeline)."""
    reader = (
        spark.readStream.format("kafka")
        .options(**kafka_options(SETTINGS["bootstrap_servers"]))
        .option("subscribe", SETTINGS["source_topic"])
        .option("startingOffsets", SETTINGS["starting_offsets"])
        .option("failOnDataLoss", SETTINGS["fail_on_data_loss"])
        .option("groupIdPrefix", "spark-pipeline-" + PIPELINE_NAME)
    )
    if SETTINGS["max_offsets_per_trigger"]:
        reader = reader.option("maxOffsetsPerTrigger", SETTINGS["max_offsets_per_trigger"])
    return reader.load()


def read_source(spark):
    """The source stream: JSON records parsed with the row schema."""
    schema, times = read_schema(ROW_SCHEMA)
    parsed = (
        read_kafka(spark)
        .where(F.col("value").isNotNull())
        .select("key", "value", parse_json(F.col("value"), schema).alias("data"))
    )
    parsed = observe_input(parsed, F.col("data." + UNPARSED).isNotNull())
    return convert_times(parsed.select("data.*").drop(UNPARSED), times)


def transform(spark, df):
    """The transformations of the spec, in order."""
    # 0: filter
    df = df.where((F.col("event_type") != F.lit("heartbeat")))
    # 1: watermark
    df = df.withWatermark("timestamp", "10 minutes")
    # 2: aggregate
    df = df.groupBy(
        F.window(F.col("timestamp"), "5 minutes").alias("window"),
        F.col("event_type"),
        F.col("country"),
    ).agg(
        F.count(F.lit(1)).alias("event_count"),
        F.sum(F.col("amount")).alias("total_amount"),
        F.approx_count_distinct(F.col("user_id")).alias("unique_users"),
    )
    df = df.select(
        F.col("window.start").alias("window_start"),
        F.col("window.end").alias("window_end"),
        *[F.col(c) for c in df.columns if c != "window"],
    )
    return df


def start_query(df):
    """Streams into the Delta table (append mode); the Delta sink commits each batch exactly once."""
    writer = (
        df.writeStream.format("delta")
        .outputMode("append")
        .option("checkpointLocation", SETTINGS["checkpoint"])
        .queryName(QUERY_NAME)
    )
    writer = writer.option("mergeSchema", "true")
    return with_trigger(writer).start(SETTINGS["sink_path"])


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
