/**
 * Test utilities of the streaming packages: the real Kafka broker of
 * `scripts/kafka.sh`, Kubernetes API server of `scripts/kubernetes.sh`,
 * schema registry of `scripts/registry.sh`, PostgreSQL of
 * `scripts/postgres.sh`, Kafka Connect of `scripts/connect.sh` and OpenSearch
 * of `scripts/opensearch.sh`, and one way to wait for what they do in the
 * background.
 *
 * @packageDocumentation
 */

export * from './testUtils/TestConnect';
export * from './testUtils/TestKafka';
export * from './testUtils/TestKubernetes';
export * from './testUtils/TestOpenSearch';
export * from './testUtils/TestPostgres';
export * from './testUtils/TestSchemaRegistry';
export { requestJson } from './testUtils/requestJson';
export { findRepoRoot, runRepoScript } from './testUtils/runRepoScript';
export * from './testUtils/uniqueName';
export * from './testUtils/waitFor';
