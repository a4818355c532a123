import { useApi } from '@backstage/core-plugin-api';
import { KAFKA_TOPIC_PATTERN } from '@internal/plugin-streaming-common';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';
import { streamingApiRef } from '../api/StreamingApi';

/** `ui:options` of the topic picker. */
export interface KafkaTopicPickerUiOptions {
  /** The form field that holds the cluster name (default: `cluster` option). */
  clusterField?: string;
  /** A fixed cluster name; default `local`. */
  cluster?: string;
}

/** Props of {@link KafkaTopicPicker}. */
export type KafkaTopicPickerProps = FieldExtensionComponentProps<
  string,
  KafkaTopicPickerUiOptions
>;

const INVALID_TOPIC =
  'A topic name is 1 to 249 letters, digits, ".", "_" and "-"';

function topicProblem(topic: string | undefined): string | undefined {
  return topic && !KAFKA_TOPIC_PATTERN.test(topic) ? INVALID_TOPIC : undefined;
}

/**
 * A Kafka topic: the topics of the live cluster to pick from, or the name
 * of a new one. When the cluster cannot be listed the field stays a plain
 * text field and says why.
 */
export function KafkaTopicPicker(props: KafkaTopicPickerProps) {
  const { formData, onChange, rawErrors, required, schema, uiSchema } = props;
  const options = uiSchema['ui:options'] ?? {};
  const formValues = (props.formContext?.formData ?? {}) as Record<
    string,
    unknown
  >;
  const fromForm = options.clusterField
    ? formValues[options.clusterField]
    : undefined;
  const cluster =
    typeof fromForm === 'string' && fromForm
      ? fromForm
      : options.cluster ?? 'local';
  const streamingApi = useApi(streamingApiRef);

  const { value, loading, error } = useAsync(
    () => streamingApi.listTopics(cluster),
    [cluster, streamingApi],
  );

  const names = (value?.topics ?? [])
    .map(t => t.name)
    .filter(n => !n.startsWith('__'))
    .sort();
  const problem = topicProblem(formData);
  let helperText: string | undefined = schema.description;
  if (problem) {
    helperText = problem;
  } else if (error) {
    helperText = `Could not list the topics of cluster "${cluster}" (${error.message}); type the topic name.`;
  } else if (formData && value && !names.includes(formData)) {
    helperText = `"${formData}" does not exist on cluster "${cluster}" yet; the template can create it.`;
  }

  return (
    <Autocomplete
      freeSolo
      options={names}
      loading={loading}
      value={formData ?? ''}
      onInputChange={(_event, text) => onChange(text || undefined)}
      renderInput={params => (
        <TextField
          {...params}
          label={schema.title ?? 'Topic'}
          margin="normal"
          required={required}
          error={Boolean(problem) || (rawErrors?.length ?? 0) > 0}
          helperText={helperText}
        />
      )}
    />
  );
}

/** The `KafkaTopicPicker` field extension. */
export const kafkaTopicPickerField = createFormField({
  name: 'KafkaTopicPicker',
  component: KafkaTopicPicker,
  validation: (topic, validation) => {
    const problem = topicProblem(topic as string | undefined);
    if (problem) {
      validation.addError(problem);
    }
  },
});
