# Generated from pipeline.yaml by the streaming platform: change the spec and render
# again rather than editing this file.
"""The PySpark Structured Streaming job of one pipeline (see pipeline.yaml)."""

import base64
import datetime
import decimal
import json
import logging
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.window import Window
from pyspark.sql.streaming import StreamingQueryListener

PIPELINE_NAME = "matrix-json-to-es"
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
    "source_topic": setting("PIPELINE_SOURCE_TOPIC", "matrix-json"),
    "starting_offsets": setting("PIPELINE_STARTING_OFFSETS", "latest"),
    "max_offsets_per_trigger": setting("PIPELINE_MAX_OFFSETS_PER_TRIGGER", None),
    "fail_on_data_loss": setting("PIPELINE_FAIL_ON_DATA_LOSS", "true"),
    "schema_file": setting("PIPELINE_SCHEMA_FILE", "schemas/matrix_order.schema.json"),
    "checkpoint": setting("PIPELINE_CHECKPOINT", "/checkpoints/matrix-json-to-es"),
    "elasticsearch_nodes": setting("ELASTICSEARCH_NODES", "https://es-1.internal:9200,https://es-2.internal:9200"),
    "sink_index": setting("PIPELINE_SINK_INDEX", "matrix-orders"),
    "trigger": setting("PIPELINE_TRIGGER", "1 minute"),
    "progress_topic": setting("STREAMING_PROGRESS_TOPIC", "streaming.progress"),
    "progress_bootstrap_servers": setting("STREAMING_PROGRESS_BOOTSTRAP_SERVERS", None),
    "stop_timeout_seconds": setting("PIPELINE_STOP_TIMEOUT_SECONDS", "60"),
}

SPARK_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.streaming.metricsEnabled": "true",
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


JSON_SCHEMA_TYPES = {
    "integer": T.LongType(),
    "number": T.DoubleType(),
    "boolean": T.BooleanType(),
}
JSON_SCHEMA_FORMATS = {"date-time": T.TimestampType(), "date": T.DateType()}


def json_schema_to_spark(node):
    """The Spark type of a JSON Schema node."""
    kind = node.get("type")
    if isinstance(kind, list):
        others = [k for k in kind if k != "null"]
        kind = others[0] if len(others) == 1 else "string"
    if kind == "object":
        return T.StructType(
            [T.StructField(name, json_schema_to_spark(child), True) for name, child in node.get("properties", {}).items()]
        )
    if kind == "array":
        return T.ArrayType(json_schema_to_spark(node.get("items", {})))
    if kind == "string":
        return JSON_SCHEMA_FORMATS.get(node.get("format"), T.StringType())
    return JSON_SCHEMA_TYPES.get(kind, T.StringType())


def load_schema(path):
    """The row schema of a JSON Schema file."""
    return json_schema_to_spark(json.loads(read_schema_file(path)))


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
    # 0: select
    df = df.select(
        F.col("order_id"),
        F.col("status"),
        F.col("created_at").alias("@timestamp"),
    )
    return df


ID_COLUMN = "order_id"
WRITE_OPERATION = "upsert"
BULK_DOCUMENTS = 1000
DOCUMENT_ID = "__document_id"
# Documents the cluster rejects with 429 (too many requests) are sent again after
# BULK_BACKOFF_SECONDS, doubling up to BULK_BACKOFF_MAX_SECONDS, at most BULK_RETRIES times.
BULK_RETRIES = 8
BULK_BACKOFF_SECONDS = 0.5
BULK_BACKOFF_MAX_SECONDS = 30


def json_value(value):
    """JSON for values json.dumps does not know (timestamps as ISO-8601 in UTC)."""
    if isinstance(value, datetime.datetime):
        # Spark hands out naive local times: astimezone reads them as local.
        return value.astimezone(datetime.timezone.utc).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    return str(value)


def elasticsearch_headers():
    """Request headers, with credentials from the environment only."""
    headers = {"Content-Type": "application/x-ndjson"}
    if os.environ.get("ELASTICSEARCH_API_KEY"):
        headers["Authorization"] = "ApiKey " + os.environ["ELASTICSEARCH_API_KEY"]
    elif os.environ.get("ELASTICSEARCH_USERNAME"):
        token = os.environ["ELASTICSEARCH_USERNAME"] + ":" + os.environ.get("ELASTICSEARCH_PASSWORD", "")
        headers["Authorization"] = "Basic " + base64.b64encode(token.encode("utf-8")).decode("ascii")
    return headers


def send_bulk(lines):
    """One bulk request to the first node that answers; None when the cluster answered 429."""
    body = ("\n".join(lines) + "\n").encode("utf-8")
    last_error = None
    for node in SETTINGS["elasticsearch_nodes"].split(","):
        request = urllib.request.Request(
            node.strip().rstrip("/") + "/_bulk", data=body, headers=elasticsearch_headers(), method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            if error.code == 429:
                return None
            last_error = error
        except urllib.error.URLError as error:
            last_error = error
    raise RuntimeError("no Elasticsearch node answered") from last_error


def post_bulk(lines):
    """Indexes the action/document line pairs; retries 429s with backoff, fails on other rejections.

    A 409 (the document exists) means an earlier attempt of the same batch indexed it.
    """
    for attempt in range(BULK_RETRIES + 1):
        result = send_bulk(lines)
        if result is None:
            retry = lines
        else:
            retry, failed = [], []
            for i, item in enumerate(result.get("items", [])):
                outcome = next(iter(item.values()))
                if outcome.get("status") == 429:
                    retry.extend(lines[2 * i : 2 * i + 2])
                elif outcome.get("error") and outcome.get("status") != 409:
                    failed.append(outcome)
            if failed:
                raise RuntimeError(
                    "%d documents rejected by Elasticsearch, first: %s"
                    % (len(failed), failed[0]["error"].get("type"))
                )
        if not retry:
            return
        LOG.warning("Elasticsearch rejected %d documents with 429; retry %d", len(retry) // 2, attempt + 1)
        time.sleep(min(BULK_BACKOFF_SECONDS * 2**attempt, BULK_BACKOFF_MAX_SECONDS))
        lines = retry
    raise RuntimeError("%d documents still rejected with 429 after %d retries" % (len(lines) // 2, BULK_RETRIES))


def send_partition(rows):
    """Indexes the rows of one partition in bulk requests."""
    lines = []
    for row in rows:
        document = row.asDict(recursive=True)
        document_id = document.pop(DOCUMENT_ID, None)
        if ID_COLUMN is not None and document.get(ID_COLUMN) is not None:
            document_id = str(document[ID_COLUMN])
        action = {"_index": SETTINGS["sink_index"], "_id": document_id}
        if WRITE_OPERATION == "upsert":
            lines.append(json.dumps({"update": action}))
            lines.append(json.dumps({"doc": document, "doc_as_upsert": True}, default=json_value))
        else:
            lines.append(json.dumps({WRITE_OPERATION: action}))
            lines.append(json.dumps(document, default=json_value))
        if len(lines) >= 2 * BULK_DOCUMENTS:
            post_bulk(lines)
            lines = []
    if lines:
        post_bulk(lines)


def with_document_ids(batch_df, batch_id):
    """Each row with a document id that depends only on the micro-batch's content.

    The id is a SHA-256 of the pipeline, the batch id and the row, and the row's occurrence
    among identical rows of the batch. A replayed batch (same source offsets, same rows in
    any partitioning) gets the same ids, so each record is created once; identical log
    lines stay separate documents.
    """
    row = F.to_json(F.struct(*[F.col("`" + c.replace("`", "``") + "`") for c in batch_df.columns]))
    digest = F.sha2(F.concat_ws("\n", F.lit(PIPELINE_NAME), F.lit(str(batch_id)), row), 256)
    occurrence = F.row_number().over(Window.partitionBy(digest).orderBy(digest))
    return batch_df.withColumn(DOCUMENT_ID, F.concat(digest, F.lit("-"), occurrence.cast("string")))


def index_batch(batch_df, batch_id):
    """Indexes one micro-batch; ids from the id column, else from the batch's content (a retry writes the same documents)."""
    with_document_ids(batch_df, batch_id).foreachPartition(send_partition)


def start_query(df):
    """Streams into the Elasticsearch index."""
    writer = (
        df.writeStream.outputMode("append")
        .option("checkpointLocation", SETTINGS["checkpoint"])
        .queryName(QUERY_NAME)
        .foreachBatch(index_batch)
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
