import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/** The Create-form fields of the streaming templates. */
export const kafkaTopicPickerFormField = FormFieldBlueprint.make({
  name: 'kafka-topic-picker',
  params: {
    field: () =>
      import('./KafkaTopicPicker').then(m => m.kafkaTopicPickerField),
  },
});

/** @see PipelineTransformationsEditor */
export const pipelineTransformationsEditorFormField = FormFieldBlueprint.make({
  name: 'pipeline-transformations-editor',
  params: {
    field: () =>
      import('./PipelineTransformationsEditor').then(
        m => m.pipelineTransformationsEditorField,
      ),
  },
});

/** @see PipelineResourcesEditor */
export const pipelineResourcesEditorFormField = FormFieldBlueprint.make({
  name: 'pipeline-resources-editor',
  params: {
    field: () =>
      import('./PipelineResourcesEditor').then(
        m => m.pipelineResourcesEditorField,
      ),
  },
});

/** @see PipelineFieldsEditor */
export const pipelineFieldsEditorFormField = FormFieldBlueprint.make({
  name: 'pipeline-fields-editor',
  params: {
    field: () =>
      import('./PipelineFieldsEditor').then(m => m.pipelineFieldsEditorField),
  },
});

/** @see SearchClusterPicker */
export const searchClusterPickerFormField = FormFieldBlueprint.make({
  name: 'search-cluster-picker',
  params: {
    field: () =>
      import('./SearchClusterPicker').then(m => m.searchClusterPickerField),
  },
});
