from streaming_runtime.settings import kafka_options, quoted_column, setting, with_trigger


class Writer:
    """Records the trigger a writer is given."""

    def __init__(self):
        self.trigger_args = None

    def trigger(self, **kwargs):
        self.trigger_args = kwargs
        return self


def test_setting_prefers_a_non_empty_environment_variable(monkeypatch):
    monkeypatch.setenv("PIPELINE_TEST_SETTING", "from-env")
    assert setting("PIPELINE_TEST_SETTING", "from-spec") == "from-env"
    monkeypatch.setenv("PIPELINE_TEST_SETTING", "")
    assert setting("PIPELINE_TEST_SETTING", "from-spec") == "from-spec"
    monkeypatch.delenv("PIPELINE_TEST_SETTING")
    assert setting("PIPELINE_TEST_SETTING", None) is None


def test_kafka_options_carry_security_settings_from_the_environment_only(monkeypatch):
    for name in ("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_JAAS_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    assert kafka_options("b:9092") == {"kafka.bootstrap.servers": "b:9092"}
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "PLAIN")
    assert kafka_options("b:9092") == {
        "kafka.bootstrap.servers": "b:9092",
        "kafka.security.protocol": "SASL_SSL",
        "kafka.sasl.mechanism": "PLAIN",
    }


def test_with_trigger():
    assert with_trigger(Writer(), "available_now").trigger_args == {"availableNow": True}
    assert with_trigger(Writer(), "5 seconds").trigger_args == {"processingTime": "5 seconds"}
    assert with_trigger(Writer(), None).trigger_args is None


def test_quoted_column_keeps_dots_and_backticks_as_data():
    assert quoted_column("a.b") == "`a.b`"
    assert quoted_column("x`y") == "`x``y`"
