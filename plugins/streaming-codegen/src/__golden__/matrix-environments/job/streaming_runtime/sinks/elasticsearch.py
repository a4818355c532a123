"""Elasticsearch (and OpenSearch) through the bulk API in foreachBatch: no connector jar.

Every document has an id: the id column's value, or else one derived from the micro-batch's
content, so a replayed batch writes the same documents. `create` by default (a 409 for a
document already there counts as done), `index` with an id column, `upsert` updates.
429s are retried with a doubling backoff; other rejections fail the batch.
"""

import base64
import datetime
import decimal
import functools
import json
import logging
import os
import sys
import time
import urllib.error
import urllib.request

from pyspark import cloudpickle
from pyspark.sql import functions as F
from pyspark.sql.window import Window

from ..settings import quoted_column, with_trigger

# send_partition runs on the executors, whose Python may not have this package on its path:
# its functions travel by value, like those of a job's main module.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

LOG = logging.getLogger(__name__)
WRITE_OPERATIONS = ("create", "index", "upsert")
BULK_DOCUMENTS = 1000
DOCUMENT_ID = "__document_id"
# Documents the cluster rejects with 429 (too many requests) are sent again after
# BULK_BACKOFF_SECONDS, doubling up to BULK_BACKOFF_MAX_SECONDS, at most BULK_RETRIES times.
BULK_RETRIES = 8
BULK_BACKOFF_SECONDS = 0.5
BULK_BACKOFF_MAX_SECONDS = 30


def json_value(value):
    """JSON for values json.dumps does not know (timestamps as ISO-8601 in UTC)."""
    if isinstance(value, datetime.datetime):
        # Spark hands out naive local times: astimezone reads them as local.
        return value.astimezone(datetime.timezone.utc).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    return str(value)


def elasticsearch_headers():
    """Request headers, with credentials from the environment only."""
    headers = {"Content-Type": "application/x-ndjson"}
    if os.environ.get("ELASTICSEARCH_API_KEY"):
        headers["Authorization"] = "ApiKey " + os.environ["ELASTICSEARCH_API_KEY"]
    elif os.environ.get("ELASTICSEARCH_USERNAME"):
        token = os.environ["ELASTICSEARCH_USERNAME"] + ":" + os.environ.get("ELASTICSEARCH_PASSWORD", "")
        headers["Authorization"] = "Basic " + base64.b64encode(token.encode("utf-8")).decode("ascii")
    return headers


def send_bulk(nodes, lines):
    """One bulk request to the first node that answers; None when the cluster answered 429."""
    body = ("\n".join(lines) + "\n").encode("utf-8")
    last_error = None
    for node in nodes.split(","):
        request = urllib.request.Request(
            node.strip().rstrip("/") + "/_bulk", data=body, headers=elasticsearch_headers(), method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            if error.code == 429:
                return None
            last_error = error
        except urllib.error.URLError as error:
            last_error = error
    raise RuntimeError("no Elasticsearch node answered") from last_error


def post_bulk(nodes, lines):
    """Indexes the action/document line pairs; retries 429s with backoff, fails on other rejections.

    A 409 (the document exists) means an earlier attempt of the same batch indexed it.
    """
    for attempt in range(BULK_RETRIES + 1):
        result = send_bulk(nodes, lines)
        if result is None:
            retry = lines
        else:
            retry, failed = [], []
            for i, item in enumerate(result.get("items", [])):
                outcome = next(iter(item.values()))
                if outcome.get("status") == 429:
                    retry.extend(lines[2 * i : 2 * i + 2])
                elif outcome.get("error") and outcome.get("status") != 409:
                    failed.append(outcome)
            if failed:
                first = failed[0]["error"].get("type")
                raise RuntimeError(f"{len(failed)} documents rejected by Elasticsearch, first: {first}")
        if not retry:
            return
        LOG.warning("Elasticsearch rejected %d documents with 429; retry %d", len(retry) // 2, attempt + 1)
        time.sleep(min(BULK_BACKOFF_SECONDS * 2**attempt, BULK_BACKOFF_MAX_SECONDS))
        lines = retry
    raise RuntimeError(f"{len(lines) // 2} documents still rejected with 429 after {BULK_RETRIES} retries")


def bulk_lines(rows, index, id_column, write_operation):
    """The bulk API's action/document line pairs of the rows."""
    for row in rows:
        document = row.asDict(recursive=True)
        document_id = document.pop(DOCUMENT_ID, None)
        if id_column is not None and document.get(id_column) is not None:
            document_id = str(document[id_column])
        action = {"_index": index, "_id": document_id}
        if write_operation == "upsert":
            yield json.dumps({"update": action})
            yield json.dumps({"doc": document, "doc_as_upsert": True}, default=json_value)
        else:
            yield json.dumps({write_operation: action})
            yield json.dumps(document, default=json_value)


def send_partition(nodes, index, id_column, write_operation, rows):
    """Indexes the rows of one partition in bulk requests."""
    lines = []
    for line in bulk_lines(rows, index, id_column, write_operation):
        lines.append(line)
        if len(lines) >= 2 * BULK_DOCUMENTS:
            post_bulk(nodes, lines)
            lines = []
    if lines:
        post_bulk(nodes, lines)


def with_document_ids(batch_df, batch_id, pipeline_name):
    """Each row with a document id that depends only on the micro-batch's content.

    The id is a SHA-256 of the pipeline, the batch id and the row, and the row's occurrence
    among identical rows of the batch. A replayed batch (same source offsets, same rows in
    any partitioning) gets the same ids, so each record is created once; identical log
    lines stay separate documents.
    """
    row = F.to_json(F.struct(*[F.col(quoted_column(c)) for c in batch_df.columns]))
    digest = F.sha2(F.concat_ws("\n", F.lit(pipeline_name), F.lit(str(batch_id)), row), 256)
    occurrence = F.row_number().over(Window.partitionBy(digest).orderBy(digest))
    return batch_df.withColumn(DOCUMENT_ID, F.concat(digest, F.lit("-"), occurrence.cast("string")))


def index_batch(batch_df, batch_id, pipeline_name, nodes, index, id_column, write_operation):
    """Indexes one micro-batch; ids from the id column, else from the batch's content."""
    if write_operation not in WRITE_OPERATIONS:
        raise ValueError("write_operation must be one of " + ", ".join(WRITE_OPERATIONS))
    send = functools.partial(send_partition, nodes, index, id_column, write_operation)
    with_document_ids(batch_df, batch_id, pipeline_name).foreachPartition(send)


def start(df, query_name, settings, id_column, write_operation, drop_columns):
    """Streams into the index settings["sink_index"] of the nodes settings["elasticsearch_nodes"]."""
    nodes, index = settings["elasticsearch_nodes"], settings["sink_index"]
    if not nodes:
        # A sink on a named search cluster has no nodes in the spec: they come from the environment.
        raise ValueError(
            "ELASTICSEARCH_NODES is not set: the node URLs (comma-separated) of the search cluster "
            "the sink writes to (on Kubernetes, key nodes of the ConfigMap elasticsearch-<cluster>)"
        )

    def index_micro_batch(batch_df, batch_id):
        index_batch(batch_df, batch_id, query_name, nodes, index, id_column, write_operation)

    writer = (
        df.drop(*drop_columns)
        .writeStream.outputMode("append")
        .option("checkpointLocation", settings["checkpoint"])
        .queryName(query_name)
        .foreachBatch(index_micro_batch)
    )
    return with_trigger(writer, settings["trigger"]).start()
