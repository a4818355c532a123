"""Reads Delta tables back for the end-to-end tests: one Spark session, many reads.

Protocol: one JSON request per line on stdin, {"path": "/abs/path/of/table"}; one line
on stdout per request, "DELTA-READER " + JSON: {"rows": [...]} (timestamps as ISO-8601
UTC strings, binary values in base64) or {"error": "..."}. With "detail": true the answer
is the table's {"numFiles", "history": [{"version", "operation", "operationParameters"}]}
instead.
With "append": [rows] and "schema": "<DDL>" the rows are appended to the table (created
when absent) as one commit, for tests whose pipeline reads a Delta table; the answer is
{"version": N}, the table's version after the commit.
A first line {"ready": true} says the session is up.
"""

import base64
import datetime
import decimal
import json
import sys

from delta.tables import DeltaTable
from pyspark.sql import SparkSession
from pyspark.sql.functions import from_json

PREFIX = "DELTA-READER "


def plain(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, (datetime.date, decimal.Decimal)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot serialise {type(value).__name__}")


def answer(payload):
    sys.stdout.write(PREFIX + json.dumps(payload, default=plain) + "\n")
    sys.stdout.flush()


def detail(spark, path):
    """The table's live file count (DESCRIBE DETAIL) and its history, oldest first."""
    table = DeltaTable.forPath(spark, path)
    history = table.history().select("version", "operation", "operationParameters").collect()
    return {
        "numFiles": table.detail().collect()[0]["numFiles"],
        "history": sorted((row.asDict(recursive=True) for row in history), key=lambda h: h["version"]),
    }


def main():
    spark = (
        SparkSession.builder.appName("e2e-delta-reader")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    answer({"ready": True})
    for line in sys.stdin:
        try:
            request = json.loads(line)
            if request.get("detail"):
                answer(detail(spark, request["path"]))
                continue
            if "append" in request:
                # Through from_json, so that ISO-8601 strings become timestamps as in a source.
                lines = spark.createDataFrame([(json.dumps(row),) for row in request["append"]], "value STRING")
                rows = lines.select(from_json("value", request["schema"]).alias("row")).select("row.*")
                rows.write.format("delta").mode("append").save(request["path"])
                answer({"version": DeltaTable.forPath(spark, request["path"]).history(1).collect()[0]["version"]})
                continue
            table = spark.read.format("delta").load(request["path"])
            answer({"rows": [row.asDict(recursive=True) for row in table.collect()]})
        except Exception as error:  # noqa: BLE001 - every failure goes back to the test
            answer({"error": f"{type(error).__name__}: {error}"})
    spark.stop()


if __name__ == "__main__":
    main()
