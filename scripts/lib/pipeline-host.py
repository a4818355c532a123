"""Runs several generated pipeline jobs as streaming queries of one Spark driver.

Usage (through scripts/spark.sh python, which passes the jars and Spark options):
    pipeline-host.py PIPELINES.json

PIPELINES.json lists the jobs: [{"name": ..., "main": ".../job/main.py", "env": {...},
"waitFor": URL?}]. A job with "waitFor" (its sink, e.g. a search engine) starts once that URL
answers; until then the host logs that it waits.
Each job is imported with its own settings (its "env" is the environment while the job's
module reads its SETTINGS) and started with its own start(spark): every query keeps its own
checkpoint, query name and progress events, but they share one JVM, so that several
pipelines run side by side on a small machine (make start). Queries run in FAIR scheduler
pools named after the pipelines, so a slow batch of one does not hold up the others.

A query that fails is logged and stays stopped; the others run on. SIGTERM or SIGINT stops
every query after its running micro-batch (each job's stop(), all at once), then Spark.
"""

import importlib.util
import json
import logging
import os
import signal
import sys
import threading
import urllib.error
import urllib.request

from pyspark.sql import SparkSession

LOG = logging.getLogger("pipeline-host")


def load_job(entry, index):
    """Imports one job's main.py as its own module, its settings read from its environment.

    main.py imports the streaming_runtime package beside it: its folder goes on the path. The
    examples are rendered by one generator, so they ship the same package, imported once.
    """
    job_dir = os.path.dirname(os.path.abspath(entry["main"]))
    if job_dir not in sys.path:
        sys.path.append(job_dir)
    saved = dict(os.environ)
    os.environ.update(entry["env"])
    try:
        spec = importlib.util.spec_from_file_location("pipeline_job_%d" % index, entry["main"])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        os.environ.clear()
        os.environ.update(saved)


def create_spark(jobs):
    """One Spark session with the settings of every job (a conflicting value is reported)."""
    conf = {"spark.scheduler.mode": "FAIR"}
    for name, job in jobs:
        for key, value in job.SPARK_CONF.items():
            if key in conf and conf[key] != value:
                LOG.warning("%s sets %s=%s; the session keeps %s", name, key, value, conf[key])
                continue
            conf[key] = value
    builder = SparkSession.builder.appName("streaming-pipelines")
    for key, value in conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def answers(url):
    """Whether an HTTP server answers at the URL (any status)."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError):
        return False


def start_job(spark, name, job):
    """Starts one job's query in its own scheduler pool; None when it did not start."""
    spark.sparkContext.setLocalProperty("spark.scheduler.pool", name)
    try:
        query, publisher = job.start(spark)
    except Exception:  # noqa: BLE001 - the other pipelines still start
        LOG.exception("%s: the query did not start", name)
        return None
    LOG.info("%s: query started", name)
    return (name, job, query, publisher)


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("py4j").setLevel(logging.WARNING)  # a line per call into the JVM otherwise
    with open(sys.argv[1], encoding="utf-8") as handle:
        entries = json.load(handle)
    jobs = [(entry["name"], load_job(entry, i)) for i, entry in enumerate(entries)]
    waits = {entry["name"]: entry.get("waitFor") for entry in entries}
    stop_requested = threading.Event()

    def request_stop(signum, _frame):
        LOG.info("signal %s: stopping every query after its running micro-batch", signum)
        stop_requested.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    spark = create_spark(jobs)
    running = []
    pending = list(jobs)
    waiting = set()
    stopped = set()
    while not stop_requested.is_set() and (pending or len(stopped) < len(running)):
        for name, job in list(pending):
            if waits[name] and not answers(waits[name]):
                if name not in waiting:
                    LOG.warning("%s: waiting for %s to answer before starting", name, waits[name])
                    waiting.add(name)
                continue
            pending.remove((name, job))
            started = start_job(spark, name, job)
            if started:
                running.append(started)
        stop_requested.wait(5)
        for name, _job, query, _publisher in running:
            if name not in stopped and not query.isActive:
                stopped.add(name)
                LOG.error("%s: the query stopped: %s", name, query.exception())
    # Every query stops after its own running micro-batch, all at once.
    stoppers = [
        threading.Thread(target=job.stop, args=(spark, query, publisher), name=name)
        for name, job, query, publisher in running
    ]
    for stopper in stoppers:
        stopper.start()
    for stopper in stoppers:
        stopper.join()
        LOG.info("%s: stopped", stopper.name)
    spark.stop()
    return 1 if stopped else 0


if __name__ == "__main__":
    sys.exit(main())
