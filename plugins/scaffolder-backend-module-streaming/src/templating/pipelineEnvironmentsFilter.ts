import { createTemplateFilter } from '@backstage/plugin-scaffolder-node/alpha';
import { JsonObject, JsonValue } from '@backstage/types';

/**
 * The keys of an item of the creating templates' Environments field, each
 * with the key of `pipeline.environments[]` in the spec it fills.
 */
export const FORM_ENVIRONMENT_KEYS: Readonly<Record<string, string>> = {
  name: 'name',
  namespace: 'namespace',
  kubernetesCluster: 'kubernetes_cluster',
  kafkaCluster: 'kafka_cluster',
  topicPrefix: 'topic_prefix',
  tablePrefix: 'table_prefix',
};

/**
 * The Environments field of a creating template as the spec's
 * `pipeline.environments`: each item's keys in the spec's snake_case, empty
 * values left out; undefined for no list or an empty one, so that a
 * whole-value expression leaves the key out of the spec. Anything else (a
 * key the form does not have, a value that is not a list of objects) is
 * passed as it is, for the spec's validation to refuse.
 */
export function toPipelineEnvironments(
  value: JsonValue | undefined,
): JsonValue | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    return value;
  }
  if (value.length === 0) {
    return undefined;
  }
  return value.map(item => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      return item;
    }
    const environment: JsonObject = {};
    for (const [key, field] of Object.entries(item)) {
      if (field !== undefined && field !== null && field !== '') {
        environment[FORM_ENVIRONMENT_KEYS[key] ?? key] = field;
      }
    }
    return environment;
  });
}

/**
 * `pipelineEnvironments`, the template filter of {@link toPipelineEnvironments}
 * that the module adds to the scaffolder.
 */
export const pipelineEnvironmentsFilter = createTemplateFilter({
  id: 'pipelineEnvironments',
  description:
    "The Environments field of a creating template (items of name, namespace, kubernetesCluster, kafkaCluster, topicPrefix, tablePrefix) as the pipeline spec's environments (snake_case keys, empty values left out); undefined for an empty list, so the spec leaves the key out.",
  examples: [
    {
      description: 'The spec of the validate and render steps',
      example:
        'environments: ${{ parameters.environments | pipelineEnvironments }}',
    },
  ],
  filter: (value: JsonValue | undefined) => toPipelineEnvironments(value),
});
