/**
 * Test utilities of the streaming packages: the real Kubernetes API server of
 * `scripts/kubernetes.sh`.
 *
 * @packageDocumentation
 */

export * from './testUtils/TestKubernetes';
