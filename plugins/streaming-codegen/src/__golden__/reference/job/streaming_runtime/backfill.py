"""Backfill: a bounded run of a pipeline over a range of its Kafka source, into the same sink, once.

Driven by the environment only, so the pipeline's own image and job/main.py run it (the
`streaming:pipeline:backfill` action applies it as its own SparkApplication):

- ``PIPELINE_BACKFILL_ID``: the backfill's id (1 to 32 of a-z, 0-9 and "-", starting and ending
  with a letter or digit). Names its checkpoint, its Delta transactions and its progress events.
- ``PIPELINE_BACKFILL_FROM``: where it starts. Either per-partition offsets of the source topic as
  JSON (``{"0": 120, "2": 80}``: only the partitions named are read) or a time (ISO 8601 with a
  time zone, or epoch milliseconds): every partition from its first record at or after it.
- ``PIPELINE_BACKFILL_TO`` (optional): where it ends, exclusive, of the same kind (offsets naming
  the same partitions). Records at or past it are left out (a streaming Kafka read has no end
  offsets). Without it, the end of each partition when the backfill starts.
- ``PIPELINE_BACKFILL_CHECKPOINT`` (optional): its checkpoint, by default ``backfill-<id>`` inside
  the pipeline's.

The run uses the `availableNow` trigger (it stops when the range is read). Into Delta it is
idempotent: each micro-batch is committed with ``txnAppId = streaming-backfill-<pipeline>-<id>``
and ``txnVersion = <batch id>``, so a restart (same checkpoint) or a batch replayed after a
crash writes it once; merge sinks also key on their merge keys.
"""

import datetime
import json
import os
import re

from pyspark.sql import functions as F

from .settings import kafka_client_config

ENVIRONMENT = {
    "id": "PIPELINE_BACKFILL_ID",
    "from": "PIPELINE_BACKFILL_FROM",
    "to": "PIPELINE_BACKFILL_TO",
    "checkpoint": "PIPELINE_BACKFILL_CHECKPOINT",
}
ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$")
OFFSETS = "offsets"
TIMESTAMP = "timestamp"


class BackfillError(ValueError):
    """A backfill setting that cannot be used; the message names the variable."""


def parse_bound(name, text):
    """A bound of the range: (OFFSETS, {partition: offset}) or (TIMESTAMP, epoch milliseconds)."""
    text = text.strip()
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError as error:
            raise BackfillError(f"{name} is not valid JSON: {error}") from None
        if not isinstance(parsed, dict) or not parsed:
            raise BackfillError(f'{name} must map partitions to offsets, for example {{"0": 120}}')
        offsets = {}
        for partition, offset in parsed.items():
            if not re.fullmatch(r"\d{1,9}", partition):
                raise BackfillError(f"{name}: partition {partition!r} is not a partition number")
            if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
                raise BackfillError(f"{name}: the offset of partition {partition} must be a whole number >= 0")
            offsets[int(partition)] = offset
        return OFFSETS, offsets
    if re.fullmatch(r"\d{1,15}", text):
        return TIMESTAMP, int(text)
    try:
        when = datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise BackfillError(
            f"{name} must be partition offsets as JSON, an ISO 8601 time or epoch milliseconds, not {text[:64]!r}"
        ) from None
    if when.tzinfo is None:
        raise BackfillError(f"{name} must name its time zone (for example 2026-11-30T06:00:00Z)")
    return TIMESTAMP, int(when.timestamp() * 1000)


def from_environment(environ=None):
    """The backfill the environment asks for: {"id", "from", "to", "checkpoint"}, else None."""
    environ = os.environ if environ is None else environ
    values = {key: environ.get(name, "").strip() for key, name in ENVIRONMENT.items()}
    if not values["id"]:
        others = [ENVIRONMENT[key] for key in ("from", "to", "checkpoint") if values[key]]
        if others:
            raise BackfillError(", ".join(others) + " set without PIPELINE_BACKFILL_ID")
        return None
    if not ID_PATTERN.match(values["id"]):
        raise BackfillError(
            "PIPELINE_BACKFILL_ID must be 1 to 32 of a-z, 0-9 and '-', starting and ending with a letter or digit"
        )
    if not values["from"]:
        raise BackfillError("PIPELINE_BACKFILL_FROM is required with PIPELINE_BACKFILL_ID")
    start = parse_bound("PIPELINE_BACKFILL_FROM", values["from"])
    end = parse_bound("PIPELINE_BACKFILL_TO", values["to"]) if values["to"] else None
    if end is not None:
        if end[0] != start[0]:
            raise BackfillError("PIPELINE_BACKFILL_FROM and PIPELINE_BACKFILL_TO must be of the same kind")
        if start[0] == OFFSETS:
            if set(end[1]) != set(start[1]):
                raise BackfillError("PIPELINE_BACKFILL_TO must name the partitions PIPELINE_BACKFILL_FROM names")
            after = sorted(p for p in start[1] if start[1][p] > end[1][p])
            if after:
                raise BackfillError(
                    "PIPELINE_BACKFILL_FROM is after PIPELINE_BACKFILL_TO for partition(s) "
                    + ", ".join(map(str, after))
                )
        elif start[1] > end[1]:
            raise BackfillError("PIPELINE_BACKFILL_FROM is after PIPELINE_BACKFILL_TO")
    return {"id": values["id"], "from": start, "to": end, "checkpoint": values["checkpoint"] or None}


def topic_partitions(spark, settings):
    """The partition numbers of the source topic, asked of the broker (the JVM's Kafka client)."""
    jvm = spark.sparkContext._jvm
    properties = jvm.java.util.Properties()
    config = kafka_client_config(settings["bootstrap_servers"])
    config.update(
        {
            "key.deserializer": "org.apache.kafka.common.serialization.ByteArrayDeserializer",
            "value.deserializer": "org.apache.kafka.common.serialization.ByteArrayDeserializer",
            "default.api.timeout.ms": "30000",
        }
    )
    for key, value in config.items():
        properties.setProperty(key, value)
    consumer = jvm.org.apache.kafka.clients.consumer.KafkaConsumer(properties)
    try:
        infos = consumer.partitionsFor(settings["source_topic"])
        return sorted(int(info.partition()) for info in infos) if infos is not None else []
    finally:
        consumer.close()


def apply(spark, pipeline_name, settings, backfill):
    """Turns the pipeline's settings into its backfill's (in place, before its queries start):
    its own checkpoint (the dead-letter query's inside it), the availableNow trigger, and the
    range (settings["backfill"], read by sources.read_kafka, the sinks and the progress events).
    Checks the range against the source topic's partitions."""
    if not settings.get("source_topic"):
        raise BackfillError(f"pipeline {pipeline_name} does not read Kafka: backfill reads a Kafka source only")
    if "," in settings["source_topic"] and backfill["from"][0] == OFFSETS:
        raise BackfillError("partition offsets need a single source topic; give PIPELINE_BACKFILL_FROM as a time")
    if backfill["from"][0] == OFFSETS:
        partitions = topic_partitions(spark, settings)
        unknown = sorted(p for p in backfill["from"][1] if p not in partitions)
        if unknown:
            raise BackfillError(
                f"topic {settings['source_topic']} has no partition(s) {', '.join(map(str, unknown))}"
                f" (it has {len(partitions)})"
            )
        backfill = dict(backfill, partitions=partitions)
    settings["backfill"] = backfill
    settings["checkpoint"] = (
        backfill["checkpoint"] or settings["checkpoint"].rstrip("/") + "/backfill-" + backfill["id"]
    )
    if "dead_letter_checkpoint" in settings:
        settings["dead_letter_checkpoint"] = None
    settings["trigger"] = "available_now"
    return settings


def starting_options(settings):
    """The Kafka source's starting options: the pipeline's, or where its backfill starts."""
    backfill = settings.get("backfill")
    if not backfill:
        return {"startingOffsets": settings["starting_offsets"]}
    kind, start = backfill["from"]
    if kind == TIMESTAMP:
        return {"startingTimestamp": str(start), "startingOffsetsByTimestampStrategy": "latest"}
    # Spark needs every partition: those not in the range start at the end and are left out.
    offsets = {str(p): start.get(p, -1) for p in backfill["partitions"]}
    return {"startingOffsets": json.dumps({settings["source_topic"]: offsets})}


def bounded(records, settings):
    """The Kafka records of the backfill's range (all of them when not backfilling)."""
    backfill = settings.get("backfill")
    if not backfill:
        return records
    kind, start = backfill["from"]
    end = backfill["to"][1] if backfill["to"] else None
    if kind == TIMESTAMP:
        keep = F.col("timestamp") >= F.timestamp_millis(F.lit(start))
        if end is not None:
            keep = keep & (F.col("timestamp") < F.timestamp_millis(F.lit(end)))
        return records.where(keep)
    keep = None
    for partition in sorted(start):
        in_range = F.col("partition") == F.lit(partition)
        if end is not None:
            in_range = in_range & (F.col("offset") < F.lit(end[partition]))
        keep = in_range if keep is None else keep | in_range
    return records.where(keep)


def txn_app_id(pipeline_name, settings):
    """The Delta transaction id of the pipeline's writes: its backfill's own when backfilling."""
    backfill = settings.get("backfill")
    if backfill:
        return "streaming-backfill-" + pipeline_name + "-" + backfill["id"]
    return "streaming-pipeline-" + pipeline_name


def progress_name(pipeline_name, settings):
    """The name (key) of the pipeline's progress events: in an environment (settings["environment"],
    from PIPELINE_ENVIRONMENT) its query name <pipeline>@<environment>, so each environment's
    micro-batches are its own; a backfill's own, <key>-backfill-<id>, so the platform keeps its
    micro-batches apart from the running pipeline's (lag, rates, health)."""
    environment = settings.get("environment")
    name = pipeline_name + "@" + environment if environment else pipeline_name
    backfill = settings.get("backfill")
    return name + "-backfill-" + backfill["id"] if backfill else name


def describe(settings):
    """What a progress event says of the backfill: its id and range, else None."""
    backfill = settings.get("backfill")
    if not backfill:
        return None

    def bound(value):
        if value is None:
            return None
        kind, data = value
        return {str(p): o for p, o in sorted(data.items())} if kind == OFFSETS else {"timestamp": data}

    return {"id": backfill["id"], "from": bound(backfill["from"]), "to": bound(backfill["to"])}
