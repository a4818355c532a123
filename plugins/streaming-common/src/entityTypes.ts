/**
 * The `spec.type` values of the entities this platform manages.
 *
 * @public
 */
export const ENTITY_TYPE_PIPELINE = 'streaming-pipeline';
/** @public */
export const ENTITY_TYPE_KAFKA_TOPIC = 'kafka-topic';
/** @public */
export const ENTITY_TYPE_DELTA_TABLE = 'delta-table';
/** @public */
export const ENTITY_TYPE_ELASTICSEARCH_INDEX = 'elasticsearch-index';
/** @public */
export const ENTITY_TYPE_DATABASE_TABLE = 'database-table';
/**
 * A Kafka Connect connector (source or sink), listed from the Connect
 * clusters of app-config.
 *
 * @public
 */
export const ENTITY_TYPE_KAFKA_CONNECTOR = 'kafka-connector';
/** @public */
export const ENTITY_TYPE_AVRO_SCHEMA = 'avro';
/** @public */
export const ENTITY_TYPE_JSON_SCHEMA = 'json-schema';
/** @public */
export const ENTITY_TYPE_PROTOBUF_SCHEMA = 'protobuf';
