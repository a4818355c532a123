"""Confluent-framed Protobuf (Protobuf subjects) read against the real schema registry (scripts/registry.sh),
with descriptor sets built by the real protoc (scripts/protoc.sh)."""

import os
import shutil

import pytest
from test_dead_letter import kafka_records
from test_registry import V1 as AVRO_V1
from test_registry import call, registry_url, subject, unknown_id  # noqa: F401 - fixtures
from test_registry_json import V1 as JSON_V1
from test_registry_json import other_subjects, register  # noqa: F401 - a fixture

from streaming_runtime import protobuf, registry, sources

V1 = """syntax = "proto3";
package shop;

message Order {
  string order_id = 1;
  double amount = 2;
  int64 quantity = 3;
  Status status = 4;
  Customer customer = 5;
  repeated string tags = 6;
  map<string, int32> counts = 7;

  enum Status {
    NEW = 0;
    PAID = 1;
  }
}

message Customer {
  string name = 1;
  optional string email = 2;
}
"""
# v2: an optional field added (BACKWARD compatible).
COUNTS = "  map<string, int32> counts = 7;\n"
V2 = V1.replace(COUNTS, COUNTS + "  optional string coupon = 8;\n")


@pytest.fixture(scope="module")
def protoc():
    if shutil.which("protoc") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("protoc is not installed (scripts/protoc.sh install)")
        pytest.skip("protoc is not installed (scripts/protoc.sh install)")


def register_proto(registry_url, subject, proto):  # noqa: F811 - the fixtures' values
    body = {"schema": proto, "schemaType": "PROTOBUF"}
    return call(f"{registry_url}/subjects/{subject}/versions", "POST", body)["id"]


def descriptor_set(tmp_path, proto):
    path = tmp_path / "orders-value.proto"
    path.write_text(proto)
    return protobuf.build_descriptor_set(str(path))


def zigzag(n):
    """A zigzag varint, as Confluent writes message indexes."""
    n = (n << 1) ^ (n >> 63)
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def framed(schema_id, message, indexes=(0,), short=True):
    """A record as Confluent's Protobuf serializer writes it: magic byte, schema id, message indexes
    (the single 0 byte for the first message, unless not `short`), message bytes."""
    path = b"\x00" if short and list(indexes) == [0] else zigzag(len(indexes)) + b"".join(zigzag(i) for i in indexes)
    body = message if isinstance(message, bytes) else message.SerializeToString()
    return b"\x00" + schema_id.to_bytes(4, "big") + path + body


def test_the_row_schema_and_message_come_from_the_proto(tmp_path, protoc):
    schema = protobuf.ProtobufSchema(descriptor_set(tmp_path, V1))
    assert (schema.message, schema.full_name, schema.indexes) == ("Order", "shop.Order", [0])
    assert schema.row_schema.simpleString() == (
        "struct<order_id:string,amount:double,quantity:bigint,status:string,"
        "customer:struct<name:string,email:string>,tags:array<string>,counts:map<string,int>>"
    )
    assert protobuf.ProtobufSchema(descriptor_set(tmp_path, V1), "Customer").indexes == [1]
    with pytest.raises(ValueError, match="has no message Line; it has Order, Customer"):
        protobuf.ProtobufSchema(descriptor_set(tmp_path, V1), "Line")
    # The descriptor set kept next to the .proto (built with the image) is read instead of building one.
    (tmp_path / "orders-value.desc").write_bytes(descriptor_set(tmp_path, V2))
    loaded = protobuf.load_protobuf_schema("orders-value.proto", str(tmp_path))
    assert "coupon" in loaded.row_schema.fieldNames()


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        # A pipeline built for v1 reads v2 records too: the added field is skipped.
        (
            V1,
            [
                ("o1", 10.5, 2, "PAID", ("Ada", "ada@example.com"), ["a", "b"], {"x": 1}),
                ("o2", 20.0, 0, "NEW", None, [], {}),
            ],
        ),
        # A pipeline built for v2 reads v1 records with the added field null.
        (
            V2,
            [
                ("o1", 10.5, 2, "PAID", ("Ada", "ada@example.com"), ["a", "b"], {"x": 1}, None),
                ("o2", 20.0, 0, "NEW", None, [], {}, "SPRING"),
            ],
        ),
    ],
)
def test_framed_records_of_two_versions_are_read_and_bad_ones_dead_lettered(
    spark,
    tmp_path,
    protoc,
    registry_url,  # noqa: F811
    subject,  # noqa: F811
    other_subjects,  # noqa: F811
    reader,
    expected,
):
    v1_id = register_proto(registry_url, subject, V1)
    v2_id = register_proto(registry_url, subject, V2)
    assert v1_id != v2_id
    json_id = register(registry_url, other_subjects[0], JSON_V1)
    avro_id = register(registry_url, other_subjects[1], AVRO_V1, "AVRO")
    missing = unknown_id(registry_url, v1_id, v2_id, json_id, avro_id)
    v1 = descriptor_set(tmp_path, V1)
    v2 = descriptor_set(tmp_path, V2)
    order_v1 = protobuf._message_class(v1, "shop.Order")
    order_v2 = protobuf._message_class(v2, "shop.Order")
    customer = protobuf._message_class(v1, "shop.Customer")

    first = order_v1(order_id="o1", amount=10.5, quantity=2, status=1, tags=["a", "b"])
    first.customer.name, first.customer.email = "Ada", "ada@example.com"
    first.counts["x"] = 1
    good = [
        framed(v1_id, first),
        # Confluent's long form of the first message's indexes: a count of 1, then 0.
        framed(v2_id, order_v2(order_id="o2", amount=20.0, coupon="SPRING"), short=False),
    ]
    bad = [
        framed(missing, order_v1(order_id="o3")),
        b"\x01" + bytes(4) + b"\x00" + order_v1(order_id="o4").SerializeToString(),
        b"\x00\x00",
        framed(json_id, order_v1(order_id="o5")),
        framed(avro_id, order_v1(order_id="o6")),
        framed(v1_id, customer(name="Bo"), indexes=(1,)),
        framed(v1_id, order_v1(order_id="o7"), indexes=(3, 1)),
        framed(v1_id, b"\x0a\x05o8"),
        b"\x00" + v1_id.to_bytes(4, "big") + b"\x80",
    ]
    errors = [
        f"schema id {missing} is not in the schema registry",
        "not in the Confluent wire format (magic byte 0 and a 4-byte schema id)",
        "not in the Confluent wire format (magic byte 0 and a 4-byte schema id)",
        f"schema id {json_id} is of schema type JSON, not PROTOBUF",
        f"schema id {avro_id} is of schema type AVRO, not PROTOBUF",
        "message indexes [1] name message Customer, not the pipeline's Order",
        "message indexes [3, 1] name no message of the pipeline's version, not the pipeline's Order",
        "does not decode as Protobuf message Order: DecodeError",
        "message indexes do not parse: truncated varint",
    ]
    records = kafka_records(spark, good + bad)
    schema = protobuf.ProtobufSchema(descriptor_set(tmp_path, reader))
    client = registry.SchemaRegistry(registry_url, subject=subject)

    rows = sources.decode_protobuf(records, schema, client, dead_letter=True).collect()
    assert [tuple(tuple(v) if hasattr(v, "__fields__") else v for v in r) for r in rows] == expected

    dead = sources.dead_letters_protobuf(records, schema, client).orderBy("offset").collect()
    assert [(bytes(r.value), r.offset) for r in dead] == [(v, len(good) + i) for i, v in enumerate(bad)]
    assert [r.error for r in dead] == errors

    # Without a dead-letter target every record flows on, the bad ones as rows of nulls.
    everything = sources.decode_protobuf(records, schema, client).collect()
    assert len(everything) == len(good) + len(bad)
    assert all(all(v is None for v in r) for r in everything[len(good) :])
