"""Environments: PIPELINE_ENVIRONMENT names where the job runs, and keys its progress events."""

import json
from types import SimpleNamespace

import pytest

from streaming_runtime import backfill, job
from streaming_runtime.progress import ProgressPublisher
from streaming_runtime.settings import EnvironmentNameError, pipeline_environment


def test_no_environment_when_unset_or_empty():
    assert pipeline_environment({}) is None
    assert pipeline_environment({"PIPELINE_ENVIRONMENT": ""}) is None


@pytest.mark.parametrize("name", ["dev", "prod-eu-1", "s", "a" * 20])
def test_an_environment_name_is_taken(name):
    assert pipeline_environment({"PIPELINE_ENVIRONMENT": name}) == name


@pytest.mark.parametrize("name", ["Dev", "dev_1", "1dev", "-dev", "dev-", "a" * 21, "dev prod", "dev@x"])
def test_anything_else_is_refused_naming_the_variable(name):
    with pytest.raises(EnvironmentNameError, match=r"^PIPELINE_ENVIRONMENT must be an environment name") as error:
        pipeline_environment({"PIPELINE_ENVIRONMENT": name})
    assert repr(name) in str(error.value)


def test_progress_events_are_keyed_by_the_environments_query_name():
    assert backfill.progress_name("orders", {}) == "orders"
    assert backfill.progress_name("orders", {"environment": "dev"}) == "orders@dev"
    in_dev = {"environment": "dev", "backfill": {"id": "fix-1"}}
    assert backfill.progress_name("orders", in_dev) == "orders@dev-backfill-fix-1"
    assert backfill.progress_name("orders", {"backfill": {"id": "fix-1"}}) == "orders-backfill-fix-1"


def progress_settings(**extra):
    # No broker listens there: the publisher's producer is created but never sends.
    return {
        "progress_topic": "streaming.progress",
        "bootstrap_servers": "127.0.0.1:1",
        "progress_bootstrap_servers": None,
        **extra,
    }


def published_by(publisher, name="orders"):
    """The event the publisher sends for one progress of the query `name`."""
    sent = []
    publisher.publish = sent.append
    publisher.runtime = lambda: {"master": "local[1]", "defaultParallelism": 1, "executors": None}
    progress = SimpleNamespace(name=name, json=json.dumps({"name": name, "batchId": 7}))
    publisher.onQueryProgress(SimpleNamespace(progress=progress))
    return [json.loads(event) for event in sent]


def test_the_publisher_keys_and_names_its_events_by_environment(spark, monkeypatch):
    monkeypatch.setenv("PIPELINE_ENVIRONMENT", "dev")
    for name in ("PIPELINE_BACKFILL_ID", "PIPELINE_BACKFILL_FROM"):
        monkeypatch.delenv(name, raising=False)
    settings = progress_settings()
    started = object()
    query, publisher = job.start(spark, "orders", settings, lambda: started)
    try:
        assert query is started
        assert settings["environment"] == "dev"
        assert publisher._name == "orders@dev"
        events = published_by(publisher)
        assert [(event["name"], event["batchId"]) for event in events] == [("orders@dev", 7)]
        assert "backfill" not in events[0]
        # Another query of the same driver is not this pipeline's.
        assert published_by(publisher, name="other") == []
    finally:
        spark.streams.removeListener(publisher)
        publisher.close()


def test_without_an_environment_the_events_keep_the_pipelines_name(spark, monkeypatch):
    monkeypatch.delenv("PIPELINE_ENVIRONMENT", raising=False)
    publisher = ProgressPublisher(spark, "orders", progress_settings())
    try:
        assert [event["name"] for event in published_by(publisher)] == ["orders"]
    finally:
        publisher.close()


def test_a_bad_environment_fails_the_job_before_its_query_starts(spark, monkeypatch):
    monkeypatch.setenv("PIPELINE_ENVIRONMENT", "Prod")
    with pytest.raises(EnvironmentNameError, match="not 'Prod'"):
        job.start(spark, "orders", progress_settings(), lambda: pytest.fail("the query started"))
