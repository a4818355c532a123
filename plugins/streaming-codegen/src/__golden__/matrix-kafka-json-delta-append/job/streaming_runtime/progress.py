"""Progress events: every StreamingQueryProgress of the pipeline's query, published to Kafka."""

import json
import logging
import threading

from pyspark.sql.streaming import StreamingQueryListener

from .backfill import describe, progress_name
from .settings import kafka_client_config

LOG = logging.getLogger(__name__)


class _SparkEvents:
    """Spark's listener interface as the JVM calls it, with Spark's own event objects.

    PySpark's adapter for a Python listener turns every event of every query of the session
    into Python objects before the listener sees it (StreamingQueryProgress.fromJObject: dozens
    of calls into the JVM and the observed metrics unpickled, 354 ms an event against 1.9 ms
    for the name and JSON, measured on a 2-core machine). Spark delivers the events of a
    session one by one, so in a driver hosting several pipelines, each with its publisher,
    the events queued faster than they were handled and reached the portal minutes late.
    This adapter asks the JVM for the query's name only, then for the JSON of the publisher's
    own query.
    """

    def __init__(self, publisher):
        self._publisher = publisher

    def onQueryStarted(self, jevent):  # noqa: N802 - Spark's listener interface
        self._publisher.query_started(jevent.name(), jevent.id().toString(), jevent.runId().toString())

    def onQueryProgress(self, jevent):  # noqa: N802
        jprogress = jevent.progress()
        self._publisher.query_progress(jprogress.name(), jprogress.json)

    def onQueryIdle(self, jevent):  # noqa: N802
        pass

    def onQueryTerminated(self, jevent):  # noqa: N802
        self._publisher.query_terminated(jevent.id().toString())

    class Java:
        implements = ["org.apache.spark.sql.streaming.PythonStreamingQueryListener"]


class ProgressPublisher(StreamingQueryListener):
    """Publishes every StreamingQueryProgress (JSON) to the progress topic, keyed by pipeline.

    Uses the Kafka producer of the JVM (the Kafka connector's kafka-clients), so the job
    needs no Python Kafka client. Publishing never fails the query: errors are logged.
    Registered with spark.streams.addListener, it hears Spark's events through _SparkEvents.
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
        self._java_listener = None
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

    @property
    def _jlistener(self):
        """The object PySpark's addListener and removeListener hand to the JVM: Spark's own
        events go to _SparkEvents, not through PySpark's conversion of every event."""
        if self._java_listener is None:
            wrapper = self._jvm.org.apache.spark.sql.streaming.PythonStreamingQueryListenerWrapper
            self._java_listener = wrapper(_SparkEvents(self))
        return self._java_listener

    # Listeners hear every query of the session (a driver may host several pipelines):
    # each one speaks only for its own query, whose name is the pipeline's.
    def query_started(self, name, query_id, run_id):
        if name == self._pipeline_name:
            self._query_id = query_id
            LOG.info("query started: id=%s run=%s", query_id, run_id)

    def query_progress(self, name, read_json):
        """Publishes a progress of this pipeline's query; `read_json()` is asked for it only."""
        if name == self._pipeline_name:
            progress = json.loads(read_json())
            progress["runtime"] = self.runtime()
            if self._name != self._pipeline_name:
                progress["name"] = self._name
            if self._backfill is not None:
                progress["backfill"] = self._backfill
            self.publish(json.dumps(progress))

    def query_terminated(self, query_id):
        if query_id == self._query_id:
            LOG.info("query terminated: id=%s", query_id)

    # The Python listener interface, for a caller that hands PySpark's event objects.
    def onQueryStarted(self, event):  # noqa: N802 - Spark's listener interface
        self.query_started(event.name, str(event.id), str(event.runId))

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
        self.query_progress(event.progress.name, lambda: event.progress.json)

    def onQueryIdle(self, event):  # noqa: N802
        pass

    def onQueryTerminated(self, event):  # noqa: N802
        self.query_terminated(str(event.id))

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
