"""Progress events: each publisher hears Spark's listener bus and publishes its own query's."""

import json
import time

from pyspark.sql import functions as F
from pyspark.sql.streaming import listener as pyspark_listener

from streaming_runtime.progress import ProgressPublisher, drain_listener_events


def test_publishers_publish_their_own_query_without_converting_every_event(spark, monkeypatch):
    # PySpark's own adapter converts each event of each query for each listener before the
    # listener sees its name (354 ms an event on 2 cores): with a publisher per pipeline in
    # one driver, events reached the portal minutes late. None may be converted now.
    conversions = []
    convert = pyspark_listener.StreamingQueryProgress.fromJObject

    def counted(_cls, jprogress):
        conversions.append(jprogress)
        return convert(jprogress)

    monkeypatch.setattr(pyspark_listener.StreamingQueryProgress, "fromJObject", classmethod(counted))
    # No broker listens there: the publishers' events are kept, not sent.
    settings = {
        "progress_topic": "streaming.progress",
        "bootstrap_servers": "127.0.0.1:1",
        "progress_bootstrap_servers": None,
    }
    publishers = {name: ProgressPublisher(spark, name, dict(settings)) for name in ("probe", "another-pipeline")}
    sent = {name: [] for name in publishers}
    for name, publisher in publishers.items():
        publisher.publish = sent[name].append
        spark.streams.addListener(publisher)
    rows = spark.readStream.format("rate").option("rowsPerSecond", 20).load()
    observed = rows.observe("probe_metrics", F.count(F.lit(1)).alias("rows"))
    query = observed.writeStream.format("noop").queryName("probe").trigger(processingTime="500 milliseconds").start()
    try:
        deadline = time.monotonic() + 90
        while len(sent["probe"]) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        query.stop()
        drain_listener_events(spark)
        for publisher in publishers.values():
            spark.streams.removeListener(publisher)
            publisher.close()

    events = [json.loads(event) for event in sent["probe"]]
    assert len(events) >= 3
    assert {event["name"] for event in events} == {"probe"}
    batches = [event["batchId"] for event in events]
    assert batches == sorted(set(batches))
    # Spark's own JSON, with the observed metrics and what the driver runs.
    assert any("probe_metrics" in event.get("observedMetrics", {}) for event in events)
    assert events[-1]["runtime"]["master"] == "local[1]"
    assert sent["another-pipeline"] == []
    assert conversions == []
