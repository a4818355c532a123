# shellcheck shell=bash
# The Kafka release of the local broker (scripts/kafka.sh) and of Kafka Connect
# (scripts/connect.sh): the Kafka line users run today (4.x). Every API kafkajs 2.2.4
# implements keeps a version a 4.x broker accepts (checked by the backend's
# kafkajsInternals.test.ts); see docs/pages/local-kafka-and-spark.md. KAFKA_VERSION
# overrides it (e.g. 3.9.1, side by side as a named instance).
KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
