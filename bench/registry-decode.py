"""Records per second of the job runtime's decoder for Confluent-framed records read with the real
schema registry, against a baseline of the same records without the registry, in the same run.
Batch DataFrames in Spark local mode, no Kafka: the figure is the decoder's. Half the records are
written with version 1, half with version 2 (an optional field added); the pipeline reads version 1.

--format avro (default): streaming_runtime.registry (the writer schema of each id, Avro resolution
to the pipeline's version, then from_avro) against from_avro alone with one schema
(avro_wire_format: confluent without a registry, which skips the header).

--format json: a JSON Schema subject (the schema id of each record checked against the subject in
a Python step, the header stripped, then from_json) against the same JSON without a header and
without a registry (from_json alone).

    scripts/spark.sh python bench/registry-decode.py [--format avro|json] [--records 200000] [--rounds 2]
"""

import argparse
import io
import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "plugins", "streaming-codegen", "python"))

import fastavro  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import types as T  # noqa: E402
from streaming_runtime import registry, schemas, sources  # noqa: E402

V1 = {
    "type": "record",
    "name": "Order",
    "fields": [
        {"name": "order_id", "type": "string"},
        {"name": "amount", "type": "double"},
        {"name": "country", "type": "string"},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    ],
}
V2 = {**V1, "fields": [*V1["fields"], {"name": "coupon", "type": ["null", "string"], "default": None}]}
# The same record as JSON Schema versions (closed, so that adding a property is backward compatible).
JSON_V1 = {
    "type": "object",
    "properties": {
        "order_id": {"type": "string"},
        "amount": {"type": "number"},
        "country": {"type": "string"},
        "ts": {"type": "string", "format": "date-time"},
    },
    "required": ["order_id", "amount", "country", "ts"],
    "additionalProperties": False,
}
JSON_V2 = {**JSON_V1, "properties": {**JSON_V1["properties"], "coupon": {"type": ["string", "null"]}}}


def call(url, method="GET", body=None):
    request = urllib.request.Request(
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/vnd.schemaregistry.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def body(schema, record):
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), record)
    return out.getvalue()


def timed(df):
    started = time.perf_counter()
    df.write.format("noop").mode("overwrite").save()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--format", choices=("avro", "json"), default="avro")
    args = parser.parse_args()

    subprocess.run([os.path.join(ROOT, "scripts", "registry.sh"), "start"], check=True, capture_output=True)
    url = subprocess.run(
        [os.path.join(ROOT, "scripts", "registry.sh"), "address"], check=True, capture_output=True, text=True
    ).stdout.strip()
    subject = f"bench-orders-{uuid.uuid4().hex[:8]}-value"
    if args.format == "json":
        versions = [{"schema": json.dumps(s), "schemaType": "JSON"} for s in (JSON_V1, JSON_V2)]
    else:
        versions = [{"schema": json.dumps(s)} for s in (V1, V2)]
    ids = [call(f"{url}/subjects/{subject}/versions", "POST", v)["id"] for v in versions]

    spark = (
        SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[2]"))
        .appName("bench-registry-decode")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    schema = T.StructType([T.StructField("key", T.BinaryType()), T.StructField("value", T.BinaryType())])
    framed, plain = [], []
    for i in range(args.records):
        version = 1 + i % 2
        record = {"order_id": f"o{i}", "amount": i / 100, "country": "DE", "ts": 1767225600000 + i}
        if version == 2:
            record["coupon"] = "SPRING" if i % 4 == 1 else None
        header = b"\x00" + ids[version - 1].to_bytes(4, "big")
        if args.format == "json":
            text = json.dumps({**record, "ts": f"2026-01-01T00:00:{i % 60:02d}Z"}).encode()
            framed.append((None, header + text))
            # The baseline: the same JSON, no header, no registry.
            plain.append((None, text))
            continue
        framed.append((None, header + body(V2 if version == 2 else V1, record)))
        # The baseline's records all carry version 1's body (one schema, as before registries).
        plain.append((None, b"\x00" + ids[0].to_bytes(4, "big") + body(V1, {k: record[k] for k in V1_FIELDS})))
    with_registry = spark.createDataFrame(framed, schema).repartition(2).cache()
    baseline = spark.createDataFrame(plain, schema).repartition(2).cache()
    with_registry.count()
    baseline.count()
    client = registry.SchemaRegistry(url, subject=subject)
    if args.format == "json":
        row_schema = schemas.json_schema_to_spark(JSON_V1)

        def decode(df, reg):
            return sources.decode_json(df, row_schema, dead_letter=True, registry=reg)
    else:
        reader = json.dumps(V1)

        def decode(df, reg):
            return sources.decode_avro(df, reader, "confluent", dead_letter=True, registry=reg)

    assert decode(with_registry, client).count() == args.records, "every record decodes"
    assert decode(baseline, None).count() == args.records, "every baseline record decodes"
    for n in range(1, args.rounds + 1):
        order = [("baseline", baseline, None), ("registry", with_registry, client)]
        if n % 2 == 0:
            order.reverse()
        seconds = {}
        for name, df, reg in order:
            seconds[name] = timed(decode(df, reg))
        print(
            f"round {n} ({args.format}): {args.records} records; registry {args.records / seconds['registry']:,.0f} "
            f"records/s, baseline ({'from_json' if args.format == 'json' else 'from_avro'} alone) "
            f"{args.records / seconds['baseline']:,.0f} records/s, "
            f"ratio {seconds['baseline'] / seconds['registry']:.2f}"
        )
    spark.stop()
    for query in ("", "?permanent=true"):
        call(f"{url}/subjects/{subject}{query}", "DELETE")


V1_FIELDS = [f["name"] for f in V1["fields"]]

if __name__ == "__main__":
    main()
