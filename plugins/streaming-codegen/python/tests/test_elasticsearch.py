"""The bulk writer against a loopback HTTP server shaped like Elasticsearch's bulk API."""

import datetime
import http.server
import json
import threading

import pytest

from streaming_runtime.sinks import elasticsearch


@pytest.fixture
def bulk_server(monkeypatch):
    """Answers /_bulk with the next of `server.answers` (status, per-item statuses)."""
    monkeypatch.setattr(elasticsearch, "BULK_BACKOFF_SECONDS", 0.01)
    requests, answers = [], []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
            lines = body.strip("\n").split("\n")
            requests.append((self.path, self.headers.get("Authorization"), lines))
            status, items = answers.pop(0)
            outcomes = [{"create": {"status": s, "error": {"type": "x"} if s >= 300 else None}} for s in items]
            payload = json.dumps({"items": outcomes})
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload.encode("utf-8"))

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    server.requests, server.answers = requests, answers
    yield server
    server.shutdown()


def lines_of(count):
    return [line for i in range(count) for line in (json.dumps({"create": {"_id": str(i)}}), json.dumps({"n": i}))]


def test_429s_are_sent_again_and_409s_count_as_done(bulk_server):
    bulk_server.answers.extend([(200, [201, 429, 409]), (429, []), (200, [201])])
    elasticsearch.post_bulk(bulk_server.url, lines_of(3))
    assert [len(lines) // 2 for _, _, lines in bulk_server.requests] == [3, 1, 1]
    assert bulk_server.requests[-1][2] == lines_of(3)[2:4]


def test_other_rejections_fail_the_batch(bulk_server):
    bulk_server.answers.append((200, [201, 400]))
    with pytest.raises(RuntimeError, match="1 documents rejected"):
        elasticsearch.post_bulk(bulk_server.url, lines_of(2))


def test_a_node_that_does_not_answer_is_skipped(bulk_server):
    bulk_server.answers.append((200, [201]))
    elasticsearch.post_bulk("http://127.0.0.1:9," + bulk_server.url, lines_of(1))
    assert len(bulk_server.requests) == 1


def test_credentials_come_from_the_environment(bulk_server, monkeypatch):
    monkeypatch.setenv("ELASTICSEARCH_API_KEY", "k3y")
    bulk_server.answers.append((200, [201]))
    elasticsearch.post_bulk(bulk_server.url, lines_of(1))
    assert bulk_server.requests[0][1] == "ApiKey k3y"


def test_document_ids_depend_only_on_the_batch_content(spark):
    df = spark.createDataFrame([("a", 1), ("a", 1), ("b", 2)], "s string, n int")
    first = elasticsearch.with_document_ids(df, 3, "p").orderBy("__document_id").select("__document_id")
    ids = [r[0] for r in first.collect()]
    again = elasticsearch.with_document_ids(df.repartition(3), 3, "p").orderBy("__document_id").select("__document_id")
    assert len(set(ids)) == 3
    assert [r[0] for r in again.collect()] == ids
    other_batch = elasticsearch.with_document_ids(df, 4, "p").select("__document_id").collect()
    assert not set(ids) & {r[0] for r in other_batch}


def test_nodes_from_the_environment_are_required():
    # A sink on a named search cluster gets its nodes only from ELASTICSEARCH_NODES.
    with pytest.raises(ValueError, match="ELASTICSEARCH_NODES is not set"):
        elasticsearch.start(None, "q", {"elasticsearch_nodes": None, "sink_index": "i"}, None, "create", [])


def test_json_values():
    moment = datetime.datetime(2026, 1, 1, 12, 0, tzinfo=datetime.timezone.utc)
    assert elasticsearch.json_value(moment) == "2026-01-01T12:00:00+00:00"
    assert elasticsearch.json_value(datetime.date(2026, 1, 2)) == "2026-01-02"
    assert elasticsearch.json_value(b"\x00\x01") == "AAE="
