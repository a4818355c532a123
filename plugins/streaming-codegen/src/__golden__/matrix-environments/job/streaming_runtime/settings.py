"""Settings from the environment, Kafka client properties and the micro-batch trigger."""

import os

# Kafka client settings taken from the environment only (secrets never live in files).
KAFKA_SECURITY_ENV = (
    ("KAFKA_SECURITY_PROTOCOL", "security.protocol"),
    ("KAFKA_SASL_MECHANISM", "sasl.mechanism"),
    ("KAFKA_SASL_JAAS_CONFIG", "sasl.jaas.config"),
    ("KAFKA_SSL_TRUSTSTORE_LOCATION", "ssl.truststore.location"),
    ("KAFKA_SSL_TRUSTSTORE_PASSWORD", "ssl.truststore.password"),
)


def setting(name, default):
    """The environment variable `name` when set and not empty, else the spec's value."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def kafka_client_config(bootstrap_servers):
    """Kafka client properties: the servers plus security settings from the environment."""
    config = {"bootstrap.servers": bootstrap_servers}
    for env_name, key in KAFKA_SECURITY_ENV:
        if os.environ.get(env_name):
            config[key] = os.environ[env_name]
    return config


def kafka_options(bootstrap_servers):
    """The same properties as options of Spark's Kafka source and sink."""
    return {"kafka." + key: value for key, value in kafka_client_config(bootstrap_servers).items()}


def with_trigger(writer, trigger):
    """Applies the micro-batch trigger: an interval, `available_now`, or none (as fast as possible)."""
    if trigger == "available_now":
        return writer.trigger(availableNow=True)
    if trigger:
        return writer.trigger(processingTime=trigger)
    return writer


def quoted_column(name):
    """A column name quoted for Spark (backticks), so dots and odd characters are data."""
    return "`" + name.replace("`", "``") + "`"
