"""Records per second of the job runtime's decoder for Confluent-framed Avro read with writer
schemas from the real schema registry (streaming_runtime.registry: the writer schema of each id,
Avro resolution to the pipeline's version, then from_avro), against the baseline of the same
records decoded by from_avro alone with one schema (avro_wire_format: confluent without a
registry, which skips the header). Batch DataFrames in Spark local mode, no Kafka: the figure is
the decoder's. Half the records are written with version 1, half with version 2 (an optional
field added); the pipeline reads version 1.

    scripts/spark.sh python bench/registry-decode.py [--records 200000] [--rounds 2]
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

import fastavro
from pyspark.sql import SparkSession
from pyspark.sql import types as T
from streaming_runtime import registry, sources

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
    args = parser.parse_args()

    subprocess.run([os.path.join(ROOT, "scripts", "registry.sh"), "start"], check=True, capture_output=True)
    url = subprocess.run(
        [os.path.join(ROOT, "scripts", "registry.sh"), "address"], check=True, capture_output=True, text=True
    ).stdout.strip()
    subject = f"bench-orders-{uuid.uuid4().hex[:8]}-value"
    ids = [call(f"{url}/subjects/{subject}/versions", "POST", {"schema": json.dumps(s)})["id"] for s in (V1, V2)]

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
        framed.append((None, b"\x00" + ids[version - 1].to_bytes(4, "big") + body(V2 if version == 2 else V1, record)))
        # The baseline's records all carry version 1's body (one schema, as before registries).
        plain.append((None, b"\x00" + ids[0].to_bytes(4, "big") + body(V1, {k: record[k] for k in V1_FIELDS})))
    with_registry = spark.createDataFrame(framed, schema).repartition(2).cache()
    baseline = spark.createDataFrame(plain, schema).repartition(2).cache()
    with_registry.count()
    baseline.count()
    reader = json.dumps(V1)
    client = registry.SchemaRegistry(url, subject=subject)
    decoded = sources.decode_avro(with_registry, reader, "confluent", dead_letter=True, registry=client)
    assert decoded.count() == args.records, "every record decodes"
    for n in range(1, args.rounds + 1):
        order = [("baseline", baseline, None), ("registry", with_registry, client)]
        if n % 2 == 0:
            order.reverse()
        seconds = {}
        for name, df, reg in order:
            seconds[name] = timed(sources.decode_avro(df, reader, "confluent", dead_letter=True, registry=reg))
        print(
            f"round {n}: {args.records} records; registry {args.records / seconds['registry']:,.0f} records/s, "
            f"baseline (from_avro alone) {args.records / seconds['baseline']:,.0f} records/s, "
            f"ratio {seconds['baseline'] / seconds['registry']:.2f}"
        )
    spark.stop()
    for query in ("", "?permanent=true"):
        call(f"{url}/subjects/{subject}{query}", "DELETE")


V1_FIELDS = [f["name"] for f in V1["fields"]]

if __name__ == "__main__":
    main()
