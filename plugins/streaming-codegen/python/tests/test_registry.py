"""Confluent-framed Avro read with the writer schema from the real schema registry (scripts/registry.sh)."""

import contextlib
import io
import json
import os
import socket
import subprocess
import urllib.request
import uuid

import fastavro
import pytest
from test_dead_letter import kafka_records

from streaming_runtime import registry, sources

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
V1 = {
    "type": "record",
    "name": "Order",
    "namespace": "shop",
    "fields": [
        {"name": "order_id", "type": "string"},
        {"name": "amount", "type": "double"},
        {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
    ],
}
# v2: an optional field added (BACKWARD compatible), the enum grown by a symbol at its end.
V2 = {
    **V1,
    "fields": [
        *V1["fields"][:2],
        {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "SHIPPED"]}},
        {"name": "coupon", "type": ["null", "string"], "default": None},
    ],
}


@pytest.fixture(scope="module")
def registry_url():
    """The real registry's Confluent-compatible API, started when it is not answering."""
    address = subprocess.run(
        [os.path.join(REPO_ROOT, "scripts", "registry.sh"), "address"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if subprocess.run([os.path.join(REPO_ROOT, "scripts", "registry.sh"), "start"], capture_output=True).returncode:
        if os.environ.get("CI") == "true":
            pytest.fail("the schema registry did not start (scripts/registry.sh start)")
        pytest.skip("the schema registry did not start (scripts/registry.sh start)")
    return address


def call(url, method="GET", body=None):
    request = urllib.request.Request(
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/vnd.schemaregistry.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture()
def subject(registry_url):
    name = f"orders-{uuid.uuid4().hex[:8]}-value"
    yield name
    for query in ("", "?permanent=true"):
        with contextlib.suppress(urllib.error.HTTPError):
            call(f"{registry_url}/subjects/{name}{query}", "DELETE")


def register(registry_url, subject, schema):
    return call(f"{registry_url}/subjects/{subject}/versions", "POST", {"schema": json.dumps(schema)})["id"]


def framed(schema_id, schema, record):
    """A record as a Confluent serializer writes it: magic byte, schema id, Avro body."""
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), record)
    return b"\x00" + schema_id.to_bytes(4, "big") + out.getvalue()


def unknown_id(registry_url, *known):
    """An id the registry has not given out (checked, not assumed)."""
    candidate = max(known) + 100_000
    with pytest.raises(urllib.error.HTTPError) as answer:
        call(f"{registry_url}/schemas/ids/{candidate}")
    assert answer.value.code == 404
    return candidate


@pytest.mark.parametrize("subject_known", [True, False])
@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        # A pipeline built for v1 reads v2 records too (v2 was registered after it started):
        # the added field is dropped, the new enum symbol has no v1 counterpart.
        (V1, [("o1", 10.5, "NEW"), ("o2", 20.0, "PAID"), ("o3", 30.25, "PAID")]),
        # A pipeline built for v2 reads v1 records with the added field's default.
        (V2, [("o1", 10.5, "NEW", None), ("o2", 20.0, "PAID", "SPRING"), ("o3", 30.25, "PAID", None)]),
    ],
)
def test_records_of_two_versions_are_decoded_with_their_writer_schema_and_resolved(
    spark, registry_url, subject, reader, expected, subject_known
):
    v1_id = register(registry_url, subject, V1)
    v2_id = register(registry_url, subject, V2)
    assert v1_id != v2_id
    missing = unknown_id(registry_url, v1_id, v2_id)
    good = [
        framed(v1_id, V1, {"order_id": "o1", "amount": 10.5, "status": "NEW"}),
        framed(v2_id, V2, {"order_id": "o2", "amount": 20.0, "status": "PAID", "coupon": "SPRING"}),
        framed(v1_id, V1, {"order_id": "o3", "amount": 30.25, "status": "PAID"}),
    ]
    bad = [
        framed(missing, V1, {"order_id": "o4", "amount": 1.0, "status": "NEW"}),
        b'{"order_id": "o5"}',
        b"\x00\x00",
        good[0][:-4],
    ]
    errors = [
        f"schema id {missing} is not in the schema registry",
        "not in the Confluent wire format (magic byte 0 and a 4-byte schema id)",
        "not in the Confluent wire format (magic byte 0 and a 4-byte schema id)",
        f"does not decode with writer schema id {v1_id}",
    ]
    if reader is V1:
        # SHIPPED is a v2 symbol the v1 reader does not have and v1's enum has no default.
        bad.append(framed(v2_id, V2, {"order_id": "o6", "amount": 2.0, "status": "SHIPPED", "coupon": None}))
        errors.append(f"writer schema id {v2_id} does not resolve to the pipeline's schema: ")
    records = kafka_records(spark, good + bad)
    schema = json.dumps(reader)
    # Knowing the subject, records of the pipeline's own version are read by the JVM alone.
    client = registry.SchemaRegistry(registry_url, subject=subject if subject_known else None)
    assert client.reader_id(schema) == ((v1_id if reader is V1 else v2_id) if subject_known else None)

    rows = sources.decode_avro(records, schema, "confluent", dead_letter=True, registry=client).collect()
    assert [tuple(r) for r in rows] == expected

    dead = sources.dead_letters_avro(records, schema, "confluent", registry=client).orderBy("offset").collect()
    assert [(bytes(r.value), r.offset) for r in dead] == [(v, len(good) + i) for i, v in enumerate(bad)]
    for row, error in zip(dead, errors, strict=True):
        assert row.error.startswith(error), row.error

    # Without a dead-letter target every record flows on, the bad ones as rows of nulls.
    everything = sources.decode_avro(records, schema, "confluent", registry=client).collect()
    assert len(everything) == len(good) + len(bad)
    assert all(all(v is None for v in r) for r in everything[len(good) :])


def test_records_of_the_pipelines_own_version_are_read_without_asking_the_registry(spark, registry_url, subject):
    v1_id = register(registry_url, subject, V1)
    v2_id = register(registry_url, subject, V2)
    schema = json.dumps(V1)
    client = registry.SchemaRegistry(registry_url, subject=subject)
    assert client.reader_id(schema) == v1_id
    assert registry.SchemaRegistry(registry_url, subject="no-such-subject-value").reader_id(schema) is None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        client.url = f"http://127.0.0.1:{s.getsockname()[1]}/apis/ccompat/v7"  # the registry is away now
    own = kafka_records(spark, [framed(v1_id, V1, {"order_id": "o1", "amount": 1.5, "status": "PAID"})])
    rows = sources.decode_avro(own, schema, "confluent", dead_letter=True, registry=client).collect()
    assert [tuple(r) for r in rows] == [("o1", 1.5, "PAID")]
    # A record of another version needs the registry: the task fails, the record is not dead-lettered.
    other = kafka_records(
        spark, [framed(v2_id, V2, {"order_id": "o2", "amount": 2.0, "status": "NEW", "coupon": None})]
    )
    with pytest.raises(Exception, match=f"did not answer for schema id {v2_id}"):
        sources.dead_letters_avro(other, schema, "confluent", registry=client).collect()


def test_a_writer_schema_is_fetched_once_per_id_and_a_missing_id_is_asked_again(registry_url, subject, monkeypatch):
    v1_id = register(registry_url, subject, V1)
    missing = unknown_id(registry_url, v1_id)
    asked = []
    fetch = registry.SchemaRegistry._fetch
    monkeypatch.setattr(registry.SchemaRegistry, "_fetch", lambda self, i: asked.append(i) or fetch(self, i))
    reader = fastavro.parse_schema(V1)
    record = framed(v1_id, V1, {"order_id": "o1", "amount": 1.0, "status": "NEW"})
    junk = framed(missing, V1, {"order_id": "o2", "amount": 1.0, "status": "NEW"})
    for _ in range(3):
        # A new client each time, as each task unpickles one: the cache is the worker's.
        client = registry.SchemaRegistry(registry_url + "/")
        assert registry.resolve_record(record, client, reader)[1] is None
        assert registry.resolve_record(junk, client, reader) == (
            None,
            f"schema id {missing} is not in the schema registry",
        )
    assert asked == [v1_id, missing, missing, missing]


def test_an_unreachable_registry_fails_the_record_instead_of_dead_lettering_it():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = registry.SchemaRegistry(f"http://127.0.0.1:{port}/apis/ccompat/v7", timeout_seconds=2)
    record = b"\x00" + (987654).to_bytes(4, "big") + b"\x02a"
    with pytest.raises(registry.SchemaRegistryError, match="did not answer for schema id 987654"):
        registry.resolve_record(record, client, fastavro.parse_schema(V1))


def test_credentials_go_in_the_authorization_header_and_never_in_its_text(registry_url):
    client = registry.SchemaRegistry(registry_url, username="svc", password="s3cret")
    assert "s3cret" not in repr(client)
    assert client.authorization == "Basic c3ZjOnMzY3JldA=="
    with pytest.raises(ValueError, match="PIPELINE_SCHEMA_REGISTRY_URL is not set"):
        registry.SchemaRegistry("")
    with pytest.raises(ValueError, match="must be an http"):
        registry.SchemaRegistry("file:///etc/passwd")
