"""Backfill: a bounded rerun over a range of the Kafka source into the same sink, exactly once."""

import datetime
import json
import os
import shutil
import uuid

import pytest
from pyspark.sql import functions as F
from pyspark.sql import types as T

from streaming_runtime import backfill, job, sources
from streaming_runtime.sinks import delta, delta_merge

# The local broker (scripts/kafka.sh start); with CI=true a missing broker fails these tests.
KAFKA = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
# 2026-11-30T06:00:00Z in epoch milliseconds.
SIX_O_CLOCK = 1796018400000
ROW_SCHEMA = T.StructType([T.StructField("id", T.StringType(), False), T.StructField("n", T.LongType(), True)])


def env(**values):
    return {"PIPELINE_BACKFILL_" + key.upper(): value for key, value in values.items()}


def test_no_backfill_without_an_id():
    assert backfill.from_environment({}) is None


def test_the_range_is_read_from_the_environment():
    by_offsets = backfill.from_environment(env(id="fix-1", **{"from": '{"0": 5, "1": 7}', "to": '{"1": 9, "0": 6}'}))
    assert by_offsets == {
        "id": "fix-1",
        "from": (backfill.OFFSETS, {0: 5, 1: 7}),
        "to": (backfill.OFFSETS, {0: 6, 1: 9}),
        "checkpoint": None,
    }
    by_time = backfill.from_environment(
        env(id="b2", checkpoint="/checkpoints/b2", **{"from": "2026-11-30T06:00:00Z", "to": "1796018400001"})
    )
    assert by_time == {
        "id": "b2",
        "from": (backfill.TIMESTAMP, SIX_O_CLOCK),
        "to": (backfill.TIMESTAMP, SIX_O_CLOCK + 1),
        "checkpoint": "/checkpoints/b2",
    }
    assert backfill.from_environment(env(id="b3", **{"from": "2026-11-30T07:00:00+01:00"}))["from"] == (
        backfill.TIMESTAMP,
        SIX_O_CLOCK,
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (env(**{"from": '{"0": 1}'}), "PIPELINE_BACKFILL_FROM set without PIPELINE_BACKFILL_ID"),
        (env(id="Bad_Id", **{"from": '{"0": 1}'}), "PIPELINE_BACKFILL_ID must be 1 to 32"),
        (env(id="x" * 33, **{"from": '{"0": 1}'}), "PIPELINE_BACKFILL_ID must be 1 to 32"),
        (env(id="b1"), "PIPELINE_BACKFILL_FROM is required"),
        (env(id="b1", **{"from": '{"0": 1,'}), "PIPELINE_BACKFILL_FROM is not valid JSON"),
        (env(id="b1", **{"from": "[1]"}), "PIPELINE_BACKFILL_FROM must be partition offsets"),
        (env(id="b1", **{"from": '{"zero": 1}'}), "partition 'zero' is not a partition number"),
        (env(id="b1", **{"from": '{"0": -3}'}), "the offset of partition 0 must be a whole number >= 0"),
        (env(id="b1", **{"from": '{"0": 1.5}'}), "the offset of partition 0 must be a whole number >= 0"),
        (env(id="b1", **{"from": "2026-11-30T06:00:00"}), "must name its time zone"),
        (env(id="b1", **{"from": "yesterday"}), "must be partition offsets as JSON, an ISO 8601 time"),
        (
            env(id="b1", **{"from": '{"0": 9, "1": 2}', "to": '{"0": 5, "1": 3}'}),
            "after PIPELINE_BACKFILL_TO for partition(s) 0",
        ),
        (
            env(id="b1", **{"from": '{"0": 1}', "to": '{"1": 5}'}),
            "must name the partitions PIPELINE_BACKFILL_FROM names",
        ),
        (env(id="b1", **{"from": '{"0": 1}', "to": "2026-11-30T06:00:00Z"}), "must be of the same kind"),
        (env(id="b1", **{"from": "2026-11-30T07:00:00Z", "to": "2026-11-30T06:00:00Z"}), "FROM is after"),
    ],
)
def test_bad_settings_are_refused_naming_the_variable(values, message):
    with pytest.raises(backfill.BackfillError, match=message.replace("(", r"\(").replace(")", r"\)")):
        backfill.from_environment(values)


def records(spark, rows):
    """Kafka records as the source reads them: (partition, offset, timestamp)."""
    schema = "key binary, value binary, topic string, partition int, offset long, timestamp timestamp"
    return spark.createDataFrame([(b"k", b"v", "t", p, o, ts) for p, o, ts in rows], schema)


def at(minute):
    return datetime.datetime(2026, 11, 30, 6, minute)


def test_records_past_the_end_are_left_out(spark):
    df = records(spark, [(0, 4, at(0)), (0, 5, at(1)), (0, 8, at(2)), (1, 1, at(3)), (1, 2, at(4)), (2, 0, at(5))])
    by_offsets = {
        "backfill": {"id": "b", "from": (backfill.OFFSETS, {0: 5, 1: 0}), "to": (backfill.OFFSETS, {0: 8, 1: 2})}
    }
    kept = backfill.bounded(df, by_offsets).collect()
    assert [(r.partition, r.offset) for r in kept] == [(0, 4), (0, 5), (1, 1)]
    # (the start is the source's startingOffsets; offset 4 of partition 0 is never read)
    millis = int(at(1).replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
    by_time = {
        "backfill": {"id": "b", "from": (backfill.TIMESTAMP, millis), "to": (backfill.TIMESTAMP, millis + 180000)}
    }
    assert [(r.partition, r.offset) for r in backfill.bounded(df, by_time).collect()] == [(0, 5), (0, 8), (1, 1)]
    assert backfill.bounded(df, {}).count() == 6


def create_topic(spark, name, partitions):
    jvm = spark.sparkContext._jvm
    properties = jvm.java.util.Properties()
    properties.setProperty("bootstrap.servers", KAFKA)
    admin = jvm.org.apache.kafka.clients.admin.AdminClient.create(properties)
    try:
        topic = jvm.org.apache.kafka.clients.admin.NewTopic(
            name, jvm.java.util.Optional.of(partitions), jvm.java.util.Optional.empty()
        )
        admin.createTopics(jvm.java.util.Collections.singletonList(topic)).all().get()
    finally:
        admin.close()


def produce(spark, topic, rows):
    """(partition, id, n) records, in order, to the topic."""
    df = spark.createDataFrame(
        [(p, i.encode(), json.dumps({"id": i, "n": n}).encode()) for p, i, n in rows],
        "partition int, key binary, value binary",
    )
    df.coalesce(1).write.format("kafka").option("kafka.bootstrap.servers", KAFKA).option("topic", topic).save()


def pipeline_settings(tmp_path, topic):
    return {
        "bootstrap_servers": KAFKA,
        "source_topic": topic,
        "starting_offsets": "earliest",
        "fail_on_data_loss": "true",
        "max_offsets_per_trigger": "3",
        "checkpoint": str(tmp_path / "checkpoint"),
        "sink_path": str(tmp_path / "sink"),
        "trigger": "3 seconds",
        "progress_topic": topic + ".progress",
        "progress_bootstrap_servers": None,
        "stop_timeout_seconds": "30",
    }


def run(spark, name, settings, start_query):
    """Runs the pipeline's job (job.start and job.stop) until its availableNow query ends."""
    query, publisher = job.start(spark, name, settings, lambda: start_query(spark, settings))
    query.awaitTermination(180)
    assert not query.isActive and query.exception() is None
    job.stop(spark, query, publisher, settings)
    return query


def append_query(name):
    def start_query(spark, settings):
        rows = sources.decode_json(sources.read_kafka(spark, name, settings), ROW_SCHEMA)
        return delta.start(rows, name, settings, "append", [], True, [])

    return start_query


def sink(spark, settings):
    return sorted((r.id, r.n) for r in spark.read.format("delta").load(settings["sink_path"]).collect())


def test_a_backfill_writes_its_range_once_however_often_it_runs(spark, tmp_path, monkeypatch):
    name = "backfill-test-" + uuid.uuid4().hex[:10]
    create_topic(spark, name, 2)
    # Partition 0: offsets 0-9 (a0..a9); partition 1: offsets 0-5 (b0..b5).
    produce(spark, name, [(0, f"a{i}", i) for i in range(10)] + [(1, f"b{i}", i) for i in range(6)])
    monkeypatch.setenv("PIPELINE_BACKFILL_ID", "fix-7")
    monkeypatch.setenv("PIPELINE_BACKFILL_FROM", '{"0": 2, "1": 1}')
    monkeypatch.setenv("PIPELINE_BACKFILL_TO", '{"0": 8, "1": 4}')
    expected = sorted([(f"a{i}", i) for i in range(2, 8)] + [(f"b{i}", i) for i in range(1, 4)])

    settings = pipeline_settings(tmp_path, name)
    query = run(spark, name, settings, append_query(name))
    assert settings["checkpoint"] == str(tmp_path / "checkpoint" / "backfill-fix-7")
    assert sink(spark, settings) == expected
    batches = [p["batchId"] for p in (json.loads(p.json) for p in query.recentProgress) if p["numInputRows"] > 0]
    assert len(batches) > 1  # maxOffsetsPerTrigger 3: the range took several micro-batches
    table_version = spark.sql(f"DESCRIBE HISTORY delta.`{settings['sink_path']}`").agg(F.max("version")).first()[0]

    # Again with the same id (its checkpoint says it is done): nothing more.
    settings = pipeline_settings(tmp_path, name)
    run(spark, name, settings, append_query(name))
    assert sink(spark, settings) == expected

    # A crash after the sink committed its last batch, before Spark recorded it (its commit
    # file gone): the restart replays that batch, and Delta skips it.
    commits = tmp_path / "checkpoint" / "backfill-fix-7" / "commits"
    last = max((f for f in commits.iterdir() if f.name.isdigit()), key=lambda f: int(f.name))
    last.unlink()
    (commits / ("." + last.name + ".crc")).unlink(missing_ok=True)
    settings = pipeline_settings(tmp_path, name)
    replayed = run(spark, name, settings, append_query(name))
    assert [json.loads(p.json)["batchId"] for p in replayed.recentProgress][:1] == [int(last.name)]
    assert sink(spark, settings) == expected

    # A restart that lost its place (its checkpoint gone, so every batch is replayed): Delta
    # skips each batch its transaction id already committed.
    shutil.rmtree(tmp_path / "checkpoint" / "backfill-fix-7")
    settings = pipeline_settings(tmp_path, name)
    run(spark, name, settings, append_query(name))
    assert sink(spark, settings) == expected
    history = spark.sql(f"DESCRIBE HISTORY delta.`{settings['sink_path']}`").agg(F.max("version")).first()[0]
    assert history == table_version

    # Its progress events carry its own name (key), id and range: not the pipeline's micro-batches.
    events = [
        (bytes(r.key).decode(), json.loads(bytes(r.value)))
        for r in spark.read.format("kafka")
        .option("kafka.bootstrap.servers", KAFKA)
        .option("subscribe", name + ".progress")
        .option("startingOffsets", "earliest")
        .load()
        .collect()
    ]
    backfill_name = name + "-backfill-fix-7"
    assert len(events) >= len(batches)
    for key, event in events:
        assert (key, event["name"]) == (backfill_name, backfill_name)
        assert event["backfill"] == {"id": "fix-7", "from": {"0": 2, "1": 1}, "to": {"0": 8, "1": 4}}


def test_a_partition_the_topic_lacks_is_refused_before_anything_runs(spark, tmp_path, monkeypatch):
    name = "backfill-test-" + uuid.uuid4().hex[:10]
    create_topic(spark, name, 2)
    monkeypatch.setenv("PIPELINE_BACKFILL_ID", "b1")
    monkeypatch.setenv("PIPELINE_BACKFILL_FROM", '{"0": 0, "2": 0, "5": 1}')
    with pytest.raises(backfill.BackfillError, match=f"topic {name} has no partition\\(s\\) 2, 5 \\(it has 2\\)"):
        job.start(spark, name, pipeline_settings(tmp_path, name), lambda: pytest.fail("the query started"))


def test_a_backfill_into_a_merge_sink_is_not_mistaken_for_the_pipelines_own_batches(spark, tmp_path, monkeypatch):
    name = "backfill-test-" + uuid.uuid4().hex[:10]
    create_topic(spark, name, 1)
    produce(spark, name, [(0, "a", 1), (0, "b", 1)])

    def start_query(spark, settings):
        rows = sources.decode_json(sources.read_kafka(spark, name, settings), ROW_SCHEMA)
        return delta_merge.start(rows, name, settings, "update", ["id"], "ignore", [], [], False)

    # The pipeline itself merges its batches 0, 1, ... (here batch 0).
    settings = dict(pipeline_settings(tmp_path, name), trigger="available_now", max_offsets_per_trigger=None)
    run(spark, name, settings, start_query)
    assert sink(spark, settings) == [("a", 1), ("b", 1)]
    # Records are reprocessed from offset 2 (values fixed upstream): the backfill's batch 0 lands.
    produce(spark, name, [(0, "a", 2), (0, "b", 2)])
    monkeypatch.setenv("PIPELINE_BACKFILL_ID", "fix")
    monkeypatch.setenv("PIPELINE_BACKFILL_FROM", '{"0": 2}')
    settings = dict(pipeline_settings(tmp_path, name), max_offsets_per_trigger=None)
    run(spark, name, settings, start_query)
    assert sink(spark, settings) == [("a", 2), ("b", 2)]


def test_a_complete_mode_sink_is_not_backfilled(spark, tmp_path):
    settings = dict(pipeline_settings(tmp_path, "t"), backfill={"id": "b"})
    df = spark.readStream.format("rate").load()
    with pytest.raises(ValueError, match="a complete-mode sink would be replaced"):
        delta.start(df, "t", settings, "complete", [], False, [])
