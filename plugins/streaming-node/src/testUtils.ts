/**
 * Test utilities of the streaming packages: the real Kubernetes API server of
 * `scripts/kubernetes.sh` and the real schema registry of `scripts/registry.sh`.
 *
 * @packageDocumentation
 */

export * from './testUtils/TestKubernetes';
export * from './testUtils/TestSchemaRegistry';
