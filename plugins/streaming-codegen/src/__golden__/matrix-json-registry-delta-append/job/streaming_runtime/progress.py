"""Progress events: every StreamingQueryProgress of the pipeline's query, published to Kafka."""

import json
import logging
import threading

from pyspark.sql.streaming import StreamingQueryListener

from .backfill import describe, progress_name
from .settings import kafka_client_config

LOG = logging.getLogger(__name__)


class ProgressPublisher(StreamingQueryListener):
    """Publishes every StreamingQueryProgress (JSON) to the progress topic, keyed by pipeline.

    Uses the Kafka producer of the JVM (the Kafka connector's kafka-clients), so the job
    needs no Python Kafka client. Publishing never fails the query: errors are logged.
    """

    def __init__(self, spark, pipeline_name, settings):
        super().__init__()
        self._pipeline_name = pipeline_name
        # The key of its events (<pipeline>@<environment> in an environment); a backfill's events
        # carry its own name, id and range.
        self._name = progress_name(pipeline_name, settings)
        self._topic = settings["progress_topic"]
        self._backfill = describe(settings)
        self._producer = None
        self._query_id = None
        self._lock = threading.Lock()
        self._context = spark.sparkContext
        self._jvm = spark.sparkContext._jvm
        servers = settings["progress_bootstrap_servers"] or settings["bootstrap_servers"]
        properties = self._jvm.java.util.Properties()
        config = kafka_client_config(servers)
        config.update(
            {
                "key.serializer": "org.apache.kafka.common.serialization.StringSerializer",
                "value.serializer": "org.apache.kafka.common.serialization.StringSerializer",
                "client.id": "spark-pipeline-" + self._name.replace("@", ".") + "-progress",
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
                    self._topic, self._name, progress_json
                )
                self._producer.send(record)
                return True
            except Exception:  # noqa: BLE001
                LOG.warning("could not publish a progress event", exc_info=True)
                return False

    # Listeners hear every query of the session (a driver may host several pipelines):
    # each one speaks only for its own query, whose name is the pipeline's.
    def onQueryStarted(self, event):  # noqa: N802 - Spark's listener interface
        if event.name == self._pipeline_name:
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

    def onQueryProgress(self, event):  # noqa: N802
        if event.progress.name == self._pipeline_name:
            progress = json.loads(event.progress.json)
            progress["runtime"] = self.runtime()
            if self._name != self._pipeline_name:
                progress["name"] = self._name
            if self._backfill is not None:
                progress["backfill"] = self._backfill
            self.publish(json.dumps(progress))

    def onQueryIdle(self, event):  # noqa: N802
        pass

    def onQueryTerminated(self, event):  # noqa: N802
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
