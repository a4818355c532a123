"""How late progress events leave a driver that hosts several pipelines (make start's pipeline
host runs the five examples in one Spark driver, each job with its own progress publisher).

Q streaming queries (rate source, observed metrics, noop sink, one trigger a second) run in one
Spark session with one publisher per query, for S seconds per round. Each published event's delay
is the time it was handed to the producer minus the end of its micro-batch (Spark's timestamp,
when the trigger started, plus triggerExecution). Printed per round: events published, p50 / p95 /
max delay, and the ratio of p95s.

Baseline (same run, rounds alternating): a publisher that listens through PySpark's own
StreamingQueryListener adapter, as the runtime did before, which converts every event of every
query for every listener (StreamingQueryProgress.fromJObject) before the listener reads its name.
Also printed: the cost of that conversion for one event against reading its name and JSON.

    scripts/spark.sh python bench/progress-delay.py [--queries 5] [--seconds 60] [--rounds 1]
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "plugins", "streaming-codegen", "python"))

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402
from pyspark.sql.streaming import StreamingQueryListener  # noqa: E402
from pyspark.sql.streaming.listener import StreamingQueryProgress  # noqa: E402
from streaming_runtime.progress import ProgressPublisher, drain_listener_events  # noqa: E402

SETTINGS = {"progress_topic": "bench.progress", "bootstrap_servers": "127.0.0.1:1", "progress_bootstrap_servers": None}


def batch_end(progress):
    started = datetime.fromisoformat(progress["timestamp"].replace("Z", "+00:00")).timestamp()
    return started + progress["durationMs"].get("triggerExecution", 0) / 1000


class ConvertingPublisher(StreamingQueryListener):
    """The baseline: PySpark's adapter converts each event before the name is compared."""

    def __init__(self, name, record):
        super().__init__()
        self._name = name
        self._record = record

    def onQueryStarted(self, event):  # noqa: N802 - Spark's listener interface
        pass

    def onQueryProgress(self, event):  # noqa: N802
        if event.progress.name == self._name:
            self._record(event.progress.json)

    def onQueryIdle(self, event):  # noqa: N802
        pass

    def onQueryTerminated(self, event):  # noqa: N802
        pass


def run_round(spark, kind, queries, seconds):
    delays = []

    def record(progress_json):
        delays.append(time.time() - batch_end(json.loads(progress_json)))
        return True

    names = [f"bench-{kind}-{i}" for i in range(queries)]
    listeners = []
    for name in names:
        if kind == "runtime":
            listener = ProgressPublisher(spark, name, dict(SETTINGS))
            listener.publish = record
        else:
            listener = ConvertingPublisher(name, record)
        spark.streams.addListener(listener)
        listeners.append(listener)
    started = []
    for name in names:
        rows = spark.readStream.format("rate").option("rowsPerSecond", 50).load()
        observed = rows.observe(name.replace("-", "_"), F.count(F.lit(1)).alias("rows"))
        writer = observed.writeStream.format("noop").queryName(name).trigger(processingTime="1 second")
        started.append(writer.start())
    time.sleep(seconds)
    measured = list(delays)
    for query in started:
        query.stop()
    drain_listener_events(spark, 60000)
    for listener in listeners:
        spark.streams.removeListener(listener)
        if kind == "runtime":
            listener.close()
    return measured


def summary(delays):
    if not delays:
        return "no event published", float("nan")
    ordered = sorted(delays)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    median = statistics.median(ordered)
    return f"{len(ordered)} events, delay p50 {median:.2f} s, p95 {p95:.2f} s, max {ordered[-1]:.2f} s", p95


def conversion_cost(spark):
    rows = spark.readStream.format("rate").option("rowsPerSecond", 50).load()
    observed = rows.observe("probe", F.count(F.lit(1)).alias("rows"))
    query = observed.writeStream.format("noop").queryName("probe").trigger(processingTime="1 second").start()
    while query.lastProgress is None or query.lastProgress["batchId"] < 2:
        time.sleep(0.2)
    jprogress = query._jsq.lastProgress()
    n = 20
    start = time.perf_counter()
    for _ in range(n):
        StreamingQueryProgress.fromJObject(jprogress)
    converted = (time.perf_counter() - start) / n
    start = time.perf_counter()
    for _ in range(n):
        jprogress.name()
        jprogress.json()
    read = (time.perf_counter() - start) / n
    query.stop()
    return converted, read


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    spark = SparkSession.builder.config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    converted, read = conversion_cost(spark)
    print(
        f"one event: PySpark's conversion {converted * 1000:.1f} ms,"
        f" its name and JSON {read * 1000:.2f} ms ({converted / read:.0f}x)"
    )
    for round_number in range(1, args.rounds + 1):
        order = ["pyspark-adapter", "runtime"] if round_number % 2 else ["runtime", "pyspark-adapter"]
        p95s = {}
        for kind in order:
            text, p95s[kind] = summary(run_round(spark, kind, args.queries, args.seconds))
            print(f"round {round_number}, {args.queries} queries, {kind}: {text}")
        ratio = p95s["pyspark-adapter"] / p95s["runtime"]
        print(f"round {round_number}: p95 delay, PySpark's adapter / runtime: {ratio:.1f}x")
    spark.stop()


if __name__ == "__main__":
    main()
