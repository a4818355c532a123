"""Confluent-framed JSON (JSON Schema subjects) checked against the real schema registry (scripts/registry.sh)."""

import contextlib
import datetime
import json
import urllib.error

import pytest
from test_dead_letter import kafka_records
from test_registry import V1 as AVRO_V1
from test_registry import call, registry_url, subject, unknown_id  # noqa: F401 - fixtures

from streaming_runtime import registry, schemas, sources

V1 = {
    "type": "object",
    "properties": {
        "order_id": {"type": "string"},
        "amount": {"type": "number"},
        "quantity": {"type": "integer"},
        "paid": {"type": "boolean"},
        "placed_at": {"type": "string", "format": "date-time"},
    },
    "required": ["order_id", "amount"],
    "additionalProperties": False,
}
# v2: an optional, nullable property added, which the closed content model (no additional
# properties) makes BACKWARD compatible, the registry's default.
V2 = {**V1, "properties": {**V1["properties"], "coupon": {"type": ["string", "null"]}}}
PLACED = datetime.datetime(2024, 5, 1, 12, 30)


def register(registry_url, subject, schema, schema_type="JSON"):  # noqa: F811 - the fixture's value
    body = {"schema": json.dumps(schema)}
    if schema_type != "AVRO":
        body["schemaType"] = schema_type
    return call(f"{registry_url}/subjects/{subject}/versions", "POST", body)["id"]


def framed(schema_id, record):
    """A record as Confluent's JSON Schema serializer writes it: magic byte, schema id, JSON text."""
    text = record if isinstance(record, str) else json.dumps(record)
    return b"\x00" + schema_id.to_bytes(4, "big") + text.encode()


@pytest.fixture()
def other_subjects(registry_url, subject):  # noqa: F811
    """Two more subjects beside the pipeline's (a JSON Schema one and an Avro one), deleted after the test."""
    names = [subject.replace("-value", "-other-value"), subject.replace("-value", "-avro-value")]
    yield names
    for name in names:
        for query in ("", "?permanent=true"):
            with contextlib.suppress(urllib.error.HTTPError):
                call(f"{registry_url}/subjects/{name}{query}", "DELETE")


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        # A pipeline built for v1 reads v2 records too: the added property is not read.
        (V1, [("o1", 10.5, 2, True, PLACED), ("o2", 20.0, None, None, None), ("o3", 30.25, 1, False, None)]),
        # A pipeline built for v2 reads v1 records with the added property null.
        (
            V2,
            [
                ("o1", 10.5, 2, True, PLACED, None),
                ("o2", 20.0, None, None, None, "SPRING"),
                ("o3", 30.25, 1, False, None, None),
            ],
        ),
    ],
)
def test_framed_records_of_two_versions_are_read_and_bad_ones_dead_lettered(
    spark,
    registry_url,  # noqa: F811
    subject,  # noqa: F811
    other_subjects,
    reader,
    expected,
):
    v1_id = register(registry_url, subject, V1)
    v2_id = register(registry_url, subject, V2)
    assert v1_id != v2_id
    other_id = register(registry_url, other_subjects[0], {**V1, "title": "other"})
    avro_id = register(registry_url, other_subjects[1], AVRO_V1, "AVRO")
    missing = unknown_id(registry_url, v1_id, v2_id, other_id, avro_id)
    good = [
        framed(
            v1_id, {"order_id": "o1", "amount": 10.5, "quantity": 2, "paid": True, "placed_at": "2024-05-01T12:30:00Z"}
        ),
        framed(v2_id, {"order_id": "o2", "amount": 20.0, "coupon": "SPRING"}),
        framed(v1_id, {"order_id": "o3", "amount": 30.25, "quantity": 1, "paid": False}),
    ]
    bad = [
        framed(missing, {"order_id": "o4", "amount": 1.0}),
        b'{"order_id": "o5", "amount": 1.0}',
        b"\x00\x00",
        framed(other_id, {"order_id": "o6", "amount": 1.0}),
        framed(avro_id, {"order_id": "o7", "amount": 1.0}),
        framed(v1_id, {"order_id": "o8"}),
        framed(v2_id, {"order_id": "o9", "amount": "ten"}),
        framed(v1_id, "not json"),
    ]
    errors = [
        f"schema id {missing} is not in the schema registry",
        "not in the Confluent wire format (magic byte 0 and a 4-byte schema id)",
        "not in the Confluent wire format (magic byte 0 and a 4-byte schema id)",
        f"schema id {other_id} is not a version of subject {subject}",
        f"schema id {avro_id} is of schema type AVRO, not JSON",
        "does not match the schema: missing required field amount",
        "does not match the schema: amount: expected double",
        "malformed JSON: not a JSON object",
    ]
    records = kafka_records(spark, good + bad)
    row_schema = schemas.json_schema_to_spark(reader)
    client = registry.SchemaRegistry(registry_url, subject=subject)

    rows = sources.decode_json(records, row_schema, dead_letter=True, registry=client).collect()
    assert [tuple(r) for r in rows] == expected

    dead = sources.dead_letters_json(records, row_schema, registry=client).orderBy("offset").collect()
    assert [(bytes(r.value), r.offset) for r in dead] == [(v, len(good) + i) for i, v in enumerate(bad)]
    assert [r.error for r in dead] == errors

    # Without a dead-letter target every record flows on; those without a readable header or id as
    # rows of nulls.
    everything = sources.decode_json(records, row_schema, registry=client).collect()
    assert len(everything) == len(good) + len(bad)
    assert all(all(v is None for v in r) for r in everything[len(good) : len(good) + 5])


def test_an_id_is_asked_once_when_it_is_a_version_of_the_subject_and_again_when_not(
    registry_url,  # noqa: F811
    subject,  # noqa: F811
    monkeypatch,
):
    v1_id = register(registry_url, subject, V1)
    missing = unknown_id(registry_url, v1_id)
    asked = []
    get = registry.SchemaRegistry._get
    monkeypatch.setattr(
        registry.SchemaRegistry, "_get", lambda self, path, what: asked.append(path) or get(self, path, what)
    )
    for _ in range(3):
        # A new client each time, as each task unpickles one: the cache is the worker's.
        client = registry.SchemaRegistry(registry_url, subject=subject)
        assert client.subject_error(v1_id, "JSON") is None
        assert client.subject_error(missing, "JSON") == f"schema id {missing} is not in the schema registry"
    assert asked == [
        f"/schemas/ids/{v1_id}",
        f"/schemas/ids/{v1_id}/versions",
        *[f"/schemas/ids/{missing}"] * 3,
    ]
    # Another subject's client does not take the first one's answer.
    assert registry.SchemaRegistry(registry_url, subject="another-value").subject_error(v1_id, "JSON") == (
        f"schema id {v1_id} is not a version of subject another-value"
    )
