"""The dead-letter path: which records are bad, what is written about them, and the count."""

import datetime
import json
import os
import uuid

import pytest
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.avro.functions import to_avro

from streaming_runtime import dead_letter, sources
from streaming_runtime.sinks import delta

ROW_SCHEMA = T.StructType(
    [
        T.StructField("user_id", T.StringType(), True),
        T.StructField("amount", T.DoubleType(), True),
        T.StructField("timestamp", T.TimestampType(), True),
    ]
)
GOOD = [
    {"user_id": "u1", "amount": 1.5, "timestamp": "2026-01-01T00:00:00Z"},
    {"user_id": "u2", "amount": None, "timestamp": 1767225600000},
]
MALFORMED = '{"user_id": "u3", "amount": '
WRONG_TYPE = json.dumps({"user_id": "u4", "amount": "lots", "timestamp": 1767225600000})
NOT_AN_OBJECT = "[1, 2]"
WHEN = datetime.datetime(2026, 1, 1, 12, 0, 0)


def kafka_records(spark, values):
    """A batch of Kafka records as the Kafka source reads them: one per value (text or bytes), at offsets 0, 1, ..."""
    schema = T.StructType(
        [
            T.StructField("key", T.BinaryType(), True),
            T.StructField("value", T.BinaryType(), True),
            T.StructField("topic", T.StringType(), False),
            T.StructField("partition", T.IntegerType(), False),
            T.StructField("offset", T.LongType(), False),
            T.StructField("timestamp", T.TimestampType(), False),
        ]
    )
    encoded = [v.encode("utf-8") if isinstance(v, str) else v for v in values]
    rows = [(b"k%d" % i, v, "events", 2, i, WHEN) for i, v in enumerate(encoded)]
    return spark.createDataFrame(rows, schema)


def batch(spark):
    return kafka_records(spark, [json.dumps(GOOD[0]), MALFORMED, WRONG_TYPE, json.dumps(GOOD[1]), NOT_AN_OBJECT, None])


def test_bad_json_records_are_dead_lettered_as_read_with_their_error(spark):
    rows = sources.dead_letters_json(batch(spark), ROW_SCHEMA).collect()
    assert [(r.key, r.value, r.topic, r.partition, r.offset, r.timestamp) for r in rows] == [
        (bytearray(b"k1"), bytearray(MALFORMED.encode()), "events", 2, 1, WHEN),
        (bytearray(b"k2"), bytearray(WRONG_TYPE.encode()), "events", 2, 2, WHEN),
        (bytearray(b"k4"), bytearray(NOT_AN_OBJECT.encode()), "events", 2, 4, WHEN),
    ]
    assert [r.error for r in rows] == [
        "malformed JSON: not a JSON object",
        "does not match the schema: amount: expected double",
        "malformed JSON: not a JSON object",
    ]


def test_with_a_dead_letter_target_only_good_records_flow_on_unchanged(spark):
    kept = sources.decode_json(batch(spark), ROW_SCHEMA, dead_letter=True)
    without_bad = sources.decode_json(kafka_records(spark, [json.dumps(r) for r in GOOD]), ROW_SCHEMA)
    assert kept.collect() == without_bad.collect()
    assert [r.user_id for r in kept.collect()] == ["u1", "u2"]


def test_without_a_target_bad_records_flow_on_with_nulls(spark):
    # Malformed records become rows of nulls; a value of the wrong type becomes null in its row.
    rows = sources.decode_json(batch(spark), ROW_SCHEMA).collect()
    expected = [("u1", 1.5), (None, None), ("u4", None), ("u2", None), (None, None)]
    assert [(r.user_id, r.amount) for r in rows] == expected


def test_each_micro_batch_counts_bad_and_dead_lettered_records(spark, tmp_path):
    records = batch(spark)
    records.write.parquet(str(tmp_path / "records"))
    observed = {}
    for target in (True, False):
        stream = spark.readStream.schema(records.schema).parquet(str(tmp_path / "records"))
        query = (
            sources.decode_json(stream, ROW_SCHEMA, dead_letter=target)
            .writeStream.format("noop")
            .option("checkpointLocation", str(tmp_path / f"checkpoint-{target}"))
            .trigger(availableNow=True)
            .start()
        )
        query.awaitTermination()
        progress = query.lastProgress
        progress = progress if isinstance(progress, dict) else json.loads(progress.json)
        observed[target] = progress["observedMetrics"][sources.OBSERVATION]
    assert observed[True][sources.BAD_RECORDS] == 3
    assert observed[True][sources.DEAD_LETTER_RECORDS] == 3
    assert observed[False][sources.BAD_RECORDS] == 3
    assert observed[False][sources.DEAD_LETTER_RECORDS] == 0


def test_kafka_dead_letters_keep_key_and_value_and_carry_the_rest_in_headers(spark):
    bad = sources.dead_letters_json(kafka_records(spark, [MALFORMED]), ROW_SCHEMA)
    (record,) = dead_letter.kafka_records(dead_letter.with_pipeline(bad, "user-events")).collect()
    assert (record.key, record.value) == (bytearray(b"k0"), bytearray(MALFORMED.encode()))
    assert [(h.key, bytes(h.value).decode()) for h in record.headers] == [
        ("dead-letter.error", "malformed JSON: not a JSON object"),
        ("dead-letter.pipeline", "user-events"),
        ("dead-letter.topic", "events"),
        ("dead-letter.partition", "2"),
        ("dead-letter.offset", "0"),
        ("dead-letter.timestamp", "1767268800000"),
    ]


def test_the_dead_letter_checkpoint_is_its_setting_or_inside_the_pipelines(spark):
    assert dead_letter.checkpoint({"dead_letter_checkpoint": None, "checkpoint": "/c/p/"}) == "/c/p/dead-letter"
    assert dead_letter.checkpoint({"dead_letter_checkpoint": "/c/dl", "checkpoint": "/c/p"}) == "/c/dl"


def test_the_dead_letter_query_writes_a_delta_quarantine_table(spark, tmp_path):
    records = batch(spark)
    records.write.parquet(str(tmp_path / "records"))
    stream = spark.readStream.schema(records.schema).parquet(str(tmp_path / "records"))
    settings = {
        "dead_letter_path": str(tmp_path / "quarantine"),
        "dead_letter_checkpoint": None,
        "checkpoint": str(tmp_path / "checkpoint"),
        "trigger": "available_now",
    }
    query = dead_letter.start(sources.dead_letters_json(stream, ROW_SCHEMA), "user-events", settings, target="delta")
    query.awaitTermination()
    assert query.name == "dead-letter/user-events"
    table = spark.read.format("delta").load(settings["dead_letter_path"])
    assert table.columns == list(dead_letter.COLUMNS)
    rows = sorted(table.collect(), key=lambda r: r.offset)
    assert [(bytes(r.value).decode(), r.error, r.pipeline, r.topic, r.partition, r.offset) for r in rows] == [
        (MALFORMED, "malformed JSON: not a JSON object", "user-events", "events", 2, 1),
        (WRONG_TYPE, "does not match the schema: amount: expected double", "user-events", "events", 2, 2),
        (NOT_AN_OBJECT, "malformed JSON: not a JSON object", "user-events", "events", 2, 4),
    ]
    assert (tmp_path / "checkpoint" / "dead-letter" / "commits").is_dir()


# A row schema with required fields (not nullable), as load_avro_schema gives for user_event.avsc.
REQUIRED = T.StructType(
    [
        T.StructField("user_id", T.StringType(), False),
        T.StructField("amount", T.DoubleType(), True),
        T.StructField("timestamp", T.TimestampType(), False),
    ]
)
AT = 1767225600000
FITTING = [
    json.dumps({"user_id": "u1", "amount": 1.5, "timestamp": "2026-01-01T00:00:00Z"}),
    json.dumps({"user_id": "u2", "timestamp": AT}),  # amount is optional
]
# Records that parse as JSON objects but do not match REQUIRED, with the error each gets.
MISFITS = [
    (json.dumps({"amount": 2.0, "timestamp": AT}), "does not match the schema: missing required field user_id"),
    (json.dumps({"user_id": None, "timestamp": AT}), "does not match the schema: missing required field user_id"),
    (json.dumps({"user_id": "u3"}), "does not match the schema: missing required field timestamp"),
    (
        json.dumps({"user_id": "u4", "amount": "abc", "timestamp": AT}),
        "does not match the schema: amount: expected double",
    ),
    (
        json.dumps({"user_id": "u5", "timestamp": "yesterday"}),
        "does not match the schema: timestamp: expected timestamp",
    ),
    (
        json.dumps({"amount": "abc", "timestamp": AT}),
        "does not match the schema: missing required field user_id; amount: expected double",
    ),
]


def mixed_batch(spark):
    """FITTING at offsets 0 and 1, then the MISFITS."""
    return kafka_records(spark, FITTING + [value for value, _ in MISFITS])


def test_records_missing_a_required_field_or_with_a_misfit_value_are_dead_lettered_naming_the_field(spark):
    rows = sources.dead_letters_json(mixed_batch(spark), REQUIRED).orderBy("offset").collect()
    assert [(bytes(r.value).decode(), r.offset, r.error) for r in rows] == [
        (value, offset, error) for offset, (value, error) in enumerate(MISFITS, start=len(FITTING))
    ]


def test_each_record_is_either_a_row_of_the_pipeline_or_a_dead_letter(spark):
    kept = sources.decode_json(mixed_batch(spark), REQUIRED, dead_letter=True)
    assert [(r.user_id, r.amount, r.timestamp) for r in kept.collect()] == [
        ("u1", 1.5, datetime.datetime(2026, 1, 1)),
        ("u2", None, datetime.datetime(2026, 1, 1)),
    ]
    dead = sources.dead_letters_json(mixed_batch(spark), REQUIRED)
    assert sorted(r.offset for r in dead.collect()) == list(range(len(FITTING), len(FITTING) + len(MISFITS)))


def test_an_unreadable_timestamp_is_a_bad_record_not_a_failed_query(spark):
    # Spark 4 runs with ANSI SQL on by default: an unreadable timestamp must not fail the batch.
    previous = spark.conf.get("spark.sql.ansi.enabled")
    spark.conf.set("spark.sql.ansi.enabled", "true")
    try:
        records = kafka_records(spark, [json.dumps({"user_id": "u5", "timestamp": "yesterday"})])
        assert [(r.user_id, r.timestamp) for r in sources.decode_json(records, REQUIRED).collect()] == [("u5", None)]
        assert sources.decode_json(records, REQUIRED, dead_letter=True).count() == 0
        assert [r.error for r in sources.dead_letters_json(records, REQUIRED).collect()] == [
            "does not match the schema: timestamp: expected timestamp"
        ]
    finally:
        spark.conf.set("spark.sql.ansi.enabled", previous)


def test_each_timestamp_is_read_from_its_text_once_for_the_bad_test_and_the_row(spark):
    # parse_time tests its text with one regular expression: once per field in the optimized plan.
    records = kafka_records(spark, [json.dumps({"user_id": "u6", "timestamp": "1767225600"})])
    for leave_out in (False, True):
        decoded = sources.decode_json(records, REQUIRED, dead_letter=leave_out)
        assert str(decoded._jdf.queryExecution().optimizedPlan()).count("RLIKE(") == 1
        assert [(r.user_id, r.timestamp) for r in decoded.collect()] == [("u6", datetime.datetime(2026, 1, 1))]


# The local broker (scripts/kafka.sh start); with CI=true a missing broker fails these tests.
KAFKA = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")


@pytest.mark.parametrize("target", ["kafka", "delta"])
def test_a_pipeline_on_kafka_writes_good_records_to_its_sink_and_bad_ones_to_its_dead_letter_target(
    spark, tmp_path, target
):
    name = "dead-letter-test-" + uuid.uuid4().hex[:10]
    values = FITTING + [value for value, _ in MISFITS] + [MALFORMED]
    errors = [error for _, error in MISFITS] + ["malformed JSON: not a JSON object"]
    produced = spark.createDataFrame(
        [(b"k%d" % i, v.encode("utf-8")) for i, v in enumerate(values)], "key binary, value binary"
    )
    produced.coalesce(1).write.format("kafka").option("kafka.bootstrap.servers", KAFKA).option("topic", name).save()
    settings = {
        "bootstrap_servers": KAFKA,
        "source_topic": name,
        "starting_offsets": "earliest",
        "fail_on_data_loss": "true",
        "max_offsets_per_trigger": None,
        "checkpoint": str(tmp_path / "checkpoint"),
        "sink_path": str(tmp_path / "sink"),
        "dead_letter_topic": name + ".dead-letter",
        "dead_letter_path": str(tmp_path / "quarantine"),
        "dead_letter_checkpoint": None,
        "trigger": "available_now",
    }
    rows = sources.decode_json(sources.read_kafka(spark, name, settings), REQUIRED, dead_letter=True)
    pipeline = delta.start(rows, name, settings, "append", [], False, [])
    bad = sources.dead_letters_json(sources.read_kafka(spark, name, settings), REQUIRED)
    quarantine = dead_letter.start(bad, name, settings, target)
    for query in (pipeline, quarantine):
        query.awaitTermination(180)
        assert not query.isActive and query.exception() is None

    sink = spark.read.format("delta").load(settings["sink_path"]).orderBy("user_id").collect()
    assert [(r.user_id, r.amount) for r in sink] == [("u1", 1.5), ("u2", None)]
    progress = [p if isinstance(p, dict) else json.loads(p.json) for p in pipeline.recentProgress]
    observed = [p["observedMetrics"][sources.OBSERVATION] for p in progress if p["numInputRows"] > 0]
    assert sum(o[sources.BAD_RECORDS] for o in observed) == len(errors)
    assert sum(o[sources.DEAD_LETTER_RECORDS] for o in observed) == len(errors)

    expected = {f"k{i}": (values[i], error) for i, error in enumerate(errors, start=len(FITTING))}
    if target == "kafka":
        written = (
            spark.read.format("kafka")
            .option("kafka.bootstrap.servers", KAFKA)
            .option("subscribe", settings["dead_letter_topic"])
            .option("startingOffsets", "earliest")
            .option("includeHeaders", "true")
            .load()
            .collect()
        )
        got = {}
        for r in written:
            headers = {h.key: bytes(h.value).decode() for h in r.headers}
            assert headers["dead-letter.pipeline"] == name and headers["dead-letter.topic"] == name
            got[bytes(r.key).decode()] = (bytes(r.value).decode(), headers["dead-letter.error"])
    else:
        table = spark.read.format("delta").load(settings["dead_letter_path"]).collect()
        assert {(r.pipeline, r.topic) for r in table} == {(name, name)}
        got = {bytes(r.key).decode(): (bytes(r.value).decode(), r.error) for r in table}
    assert got == expected


AVRO_SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "UserEvent",
        "fields": [{"name": "user_id", "type": "string"}, {"name": "amount", "type": ["null", "double"]}],
    }
)
AVRO_ERROR = "does not decode as Avro with the pipeline's schema"


def avro_bytes(spark, rows):
    """Each (user_id, amount) as binary Avro with AVRO_SCHEMA, written by Spark's Avro writer."""
    df = spark.createDataFrame(rows, "user_id string, amount double")
    return [bytes(r.v) for r in df.select(to_avro(F.struct("user_id", "amount"), AVRO_SCHEMA).alias("v")).collect()]


@pytest.mark.parametrize("wire_format", [None, "confluent"])
def test_avro_records_that_do_not_decode_are_dead_lettered_and_the_others_flow_on(spark, wire_format):
    good = avro_bytes(spark, [("u1", 1.5), ("u2", None)])
    bad = [
        good[0][:-3],  # truncated inside the double
        b'{"user_id": "u3"}',  # JSON, not Avro: a negative string length
        b"",
    ]
    header = b"\x00\x00\x00\x00\x07" if wire_format == "confluent" else b""
    values = [header + v for v in good + bad]
    unframed = []
    if wire_format == "confluent":
        unframed = [
            b"\x00\x00",  # shorter than the wire format's header
            b"\x01" + header[1:] + good[0],  # a body that decodes, behind another magic byte
        ]
    values += unframed
    records = kafka_records(spark, values)
    kept = sources.decode_avro(records, AVRO_SCHEMA, wire_format, dead_letter=True)
    assert [(r.user_id, r.amount) for r in kept.collect()] == [("u1", 1.5), ("u2", None)]
    dead = sources.dead_letters_avro(records, AVRO_SCHEMA, wire_format).orderBy("offset").collect()
    error = AVRO_ERROR + (" (Confluent wire format)" if wire_format == "confluent" else "")
    assert [(bytes(r.value), r.offset, r.error) for r in dead] == [
        (v, i, sources.NOT_CONFLUENT if v in unframed else error) for i, v in enumerate(values) if i >= len(good)
    ]


# Nested fields (records in an Avro schema, objects in a JSON Schema): a required field of a struct
# that is there is checked too, named by its path. The struct itself may be optional.
NESTED = T.StructType(
    [
        T.StructField("user_id", T.StringType(), False),
        T.StructField(
            "address",
            T.StructType(
                [
                    T.StructField("city", T.StringType(), False),
                    T.StructField("lat", T.DoubleType(), True),
                    T.StructField("geo", T.StructType([T.StructField("zone", T.StringType(), False)]), True),
                ]
            ),
            True,
        ),
    ]
)
NESTED_FITTING = [
    json.dumps({"user_id": "u1", "address": {"city": "Oslo", "lat": 59.9, "geo": {"zone": "CET"}}}),
    json.dumps({"user_id": "u2"}),  # the address is optional
    json.dumps({"user_id": "u3", "address": {"city": "Rome"}}),  # and so is its geo
]
NESTED_MISFITS = [
    (json.dumps({"user_id": "u4", "address": {"lat": 1.0}}), "missing required field address.city"),
    (json.dumps({"user_id": "u5", "address": {"city": None}}), "missing required field address.city"),
    (json.dumps({"user_id": "u6", "address": {"city": "Oslo", "geo": {}}}), "missing required field address.geo.zone"),
    (json.dumps({"user_id": "u7", "address": {"city": "Oslo", "lat": "north"}}), "address.lat: expected double"),
    (
        json.dumps({"user_id": "u8", "address": "Oslo"}),
        "address: expected struct<city:string,lat:double,geo:struct<zone:string>>",
    ),
    (json.dumps({"address": {}}), "missing required field user_id; missing required field address.city"),
]


def test_required_nested_fields_are_checked_and_named_by_their_path(spark):
    records = kafka_records(spark, NESTED_FITTING + [value for value, _ in NESTED_MISFITS])
    kept = sources.decode_json(records, NESTED, dead_letter=True)
    assert [r.user_id for r in kept.collect()] == ["u1", "u2", "u3"]
    dead = sources.dead_letters_json(records, NESTED).orderBy("offset").collect()
    assert [(r.offset, r.error) for r in dead] == [
        (offset, "does not match the schema: " + error)
        for offset, (_, error) in enumerate(NESTED_MISFITS, start=len(NESTED_FITTING))
    ]


# Debezium change events of a table whose id and email are required (NOT NULL columns).
USERS = T.StructType(
    [
        T.StructField("id", T.LongType(), False),
        T.StructField("email", T.StringType(), False),
        T.StructField("name", T.StringType(), True),
        T.StructField("updated_at", T.TimestampType(), True),
    ]
)
ALICE = {"id": 1, "email": "a@example.com", "name": "Alice", "updated_at": AT}
BOB = {"id": 2, "email": "b@example.com", "name": None, "updated_at": "2026-01-01T00:00:00Z"}


def change(op, before=None, after=None, **extra):
    return json.dumps({"before": before, "after": after, "op": op, "ts_ms": 1, **extra})


# Events that are rows of the pipeline: (value, op, id). A delete's before holds only the key under
# PostgreSQL's default replica identity; the schema envelope ({"schema", "payload"}) is read too.
CHANGES = [
    (change("r", after=ALICE), "r", 1),
    (change("c", after=BOB), "c", 2),
    (change("u", before=ALICE, after={**ALICE, "name": "Alicia"}), "u", 1),
    (change("d", before={"id": 2}), "d", 2),
    (json.dumps({"schema": {"type": "struct"}, "payload": json.loads(change("c", after={**BOB, "id": 3}))}), "c", 3),
]
# Events that are bad, with their error.
BAD_CHANGES = [
    (json.dumps({"before": None, "after": ALICE, "ts_ms": 1}), "change event without op"),
    (change("t"), "change event with unknown op t"),
    (change("c"), "change event (op c) without after"),
    (change("u", before=ALICE), "change event (op u) without after"),
    (change("d", after=None), "change event (op d) without before"),
    (change("c", after={"id": 4, "name": "Dan"}), "does not match the schema: missing required field email in after"),
    (change("u", after={"id": 5, "email": None}), "does not match the schema: missing required field email in after"),
    (
        change("c", after={**ALICE, "updated_at": "yesterday"}),
        "does not match the schema: updated_at in after: expected timestamp",
    ),
    (change("c", after={**ALICE, "id": "six"}), "does not match the schema: id in after: expected bigint"),
    (change("c", after="Alice"), "change event (op c): after is not an object"),
    (MALFORMED, "malformed JSON: not a JSON object"),
]


def change_records(spark):
    """CHANGES, then BAD_CHANGES, then a tombstone (a null value)."""
    return kafka_records(spark, [v for v, _, _ in CHANGES] + [v for v, _ in BAD_CHANGES] + [None])


def test_change_events_without_a_known_op_or_row_image_or_matching_the_schema_are_dead_lettered(spark):
    records = change_records(spark)
    kept = sources.decode_debezium(records, USERS, ignore_deletes=False, dead_letter=True)
    assert [(r["__op"], r.id, r["__kafka_offset"]) for r in kept.collect()] == [
        (op, row_id, offset) for offset, (_, op, row_id) in enumerate(CHANGES)
    ]
    # The delete's row is its key: the other columns of its before are null, not a reason to refuse it.
    assert [(r.id, r.email) for r in kept.where(F.col("__op") == "d").collect()] == [(2, None)]
    dead = sources.dead_letters_debezium(records, USERS).orderBy("offset").collect()
    assert [(bytes(r.value).decode(), r.offset, r.error) for r in dead] == [
        (value, offset, error) for offset, (value, error) in enumerate(BAD_CHANGES, start=len(CHANGES))
    ]


def test_each_change_event_is_a_row_a_dead_letter_or_a_skipped_tombstone(spark, tmp_path):
    records = change_records(spark)
    for ignore_deletes in (False, True):
        kept = sources.decode_debezium(records, USERS, ignore_deletes=ignore_deletes, dead_letter=True)
        dead = sources.dead_letters_debezium(records, USERS, ignore_deletes=ignore_deletes)
        rows = [r["__kafka_offset"] for r in kept.collect()]
        letters = [r.offset for r in dead.collect()]
        # An ignored delete is neither, even one without before (replica identity NOTHING).
        ignored = [i for i, (_, op, _) in enumerate(CHANGES) if op == "d"] if ignore_deletes else []
        bad = list(range(len(CHANGES), len(CHANGES) + len(BAD_CHANGES)))
        if ignore_deletes:
            ignored.append(bad.pop([e for _, e in BAD_CHANGES].index("change event (op d) without before")))
        tombstone = [len(CHANGES) + len(BAD_CHANGES)]
        assert sorted(rows + letters + ignored + tombstone) == list(range(len(CHANGES) + len(BAD_CHANGES) + 1))
        assert sorted(letters) == bad
    records.write.parquet(str(tmp_path / "records"))
    stream = spark.readStream.schema(records.schema).parquet(str(tmp_path / "records"))
    query = (
        sources.decode_debezium(stream, USERS, ignore_deletes=False, dead_letter=True)
        .writeStream.format("noop")
        .option("checkpointLocation", str(tmp_path / "checkpoint"))
        .trigger(availableNow=True)
        .start()
    )
    query.awaitTermination()
    progress = query.lastProgress
    observed = (progress if isinstance(progress, dict) else json.loads(progress.json))["observedMetrics"]
    assert observed[sources.OBSERVATION][sources.BAD_RECORDS] == len(BAD_CHANGES)
    assert observed[sources.OBSERVATION][sources.DEAD_LETTER_RECORDS] == len(BAD_CHANGES)


def test_without_a_target_change_events_that_cannot_be_rows_are_skipped_and_the_others_flow_on(spark):
    # As with JSON records, a bad event that still has a row (a required field missing, a time that
    # does not read) flows on with nulls; one without a known op or a row image cannot be a row.
    rows = sources.decode_debezium(change_records(spark), USERS, ignore_deletes=False).collect()
    flowing = [
        offset
        for offset, (_, error) in enumerate(BAD_CHANGES, start=len(CHANGES))
        if error.startswith("does not match the schema")
    ]
    assert [r["__kafka_offset"] for r in rows] == list(range(len(CHANGES))) + flowing


def test_required_nested_fields_of_change_events_are_checked(spark):
    schema = T.StructType([T.StructField("id", T.LongType(), False), NESTED.fields[1]])
    records = kafka_records(
        spark,
        [
            change("c", after={"id": 1, "address": {"city": "Oslo"}}),
            change("c", after={"id": 2, "address": {"lat": 1.0}}),
            change("u", after={"id": 3, "address": {"city": "Oslo", "lat": "north"}}),
        ],
    )
    assert [r.id for r in sources.decode_debezium(records, schema, False, dead_letter=True).collect()] == [1]
    assert [r.error for r in sources.dead_letters_debezium(records, schema).orderBy("offset").collect()] == [
        "does not match the schema: missing required field address.city in after",
        "does not match the schema: address.lat in after: expected double",
    ]
