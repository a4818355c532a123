"""Settings from the environment, Kafka client properties and the micro-batch trigger."""

import os
import re

# Kafka client settings taken from the environment only (secrets never live in files).
KAFKA_SECURITY_ENV = (
    ("KAFKA_SECURITY_PROTOCOL", "security.protocol"),
    ("KAFKA_SASL_MECHANISM", "sasl.mechanism"),
    ("KAFKA_SASL_JAAS_CONFIG", "sasl.jaas.config"),
    ("KAFKA_SSL_TRUSTSTORE_LOCATION", "ssl.truststore.location"),
    ("KAFKA_SSL_TRUSTSTORE_PASSWORD", "ssl.truststore.password"),
)


# The environment the job runs in (pipeline.environments[].name of its spec), set by the
# environment's SparkApplication; unset when the pipeline declares no environments.
ENVIRONMENT_VARIABLE = "PIPELINE_ENVIRONMENT"
# The spec's environment-name pattern: it is part of Kubernetes names and progress keys.
ENVIRONMENT_PATTERN = re.compile(r"^[a-z]([-a-z0-9]{0,18}[a-z0-9])?$")


class EnvironmentNameError(ValueError):
    """PIPELINE_ENVIRONMENT is not an environment name; the message says what one is."""


def pipeline_environment(environ=None):
    """The environment the job runs in (PIPELINE_ENVIRONMENT), else None. Refuses what is not
    an environment name, so a typo never publishes progress under a key nobody reads."""
    environ = os.environ if environ is None else environ
    name = environ.get(ENVIRONMENT_VARIABLE, "")
    if name == "":
        return None
    if not ENVIRONMENT_PATTERN.match(name):
        raise EnvironmentNameError(
            f"{ENVIRONMENT_VARIABLE} must be an environment name of the pipeline's spec (at most 20 lower-case"
            f' letters, digits and "-", starting with a letter and not ending with "-"), not {name[:64]!r}'
        )
    return name


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
