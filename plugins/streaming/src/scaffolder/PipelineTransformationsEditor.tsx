import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import { parse, stringify } from 'yaml';
import { fieldsOfSourceSchema } from './pipelineSourceSchema';
import { validatePipelinePart } from './validatePipelinePart';

/** `ui:options` of the transformations editor. */
export interface PipelineTransformationsEditorUiOptions {
  /**
   * The form field with the source's fields, so columns are checked: a list
   * of fields, or the object of a `PipelineFieldsEditor` that holds them.
   */
  fieldsField?: string;
}

/** Props of {@link PipelineTransformationsEditor}. */
export type PipelineTransformationsEditorProps = FieldExtensionComponentProps<
  unknown[],
  PipelineTransformationsEditorUiOptions
>;

/** The YAML text as a list of transformations, or why it is not one. */
function parseTransformations(
  text: string,
): { value: unknown[] } | { error: string } {
  try {
    const value = parse(text, { strict: true, maxAliasCount: 0 }) ?? [];
    if (!Array.isArray(value)) {
      return {
        error: 'expected a YAML list of transformations ("- type: filter ...")',
      };
    }
    return { value };
  } catch (e) {
    return { error: `invalid YAML: ${(e as Error).message.split('\n')[0]}` };
  }
}

/**
 * The pipeline's transformations as YAML, as in `pipeline.yaml`, checked
 * with the platform's spec rules on every keystroke: errors name the
 * transformation and what was expected.
 */
export function PipelineTransformationsEditor(
  props: PipelineTransformationsEditorProps,
) {
  const { formData, onChange, schema, uiSchema, rawErrors } = props;
  const fieldsField = uiSchema['ui:options']?.fieldsField;
  const formValues = (props.formContext?.formData ?? {}) as Record<
    string,
    unknown
  >;
  const fields = fieldsField
    ? fieldsOfSourceSchema(formValues[fieldsField])
    : undefined;
  const [text, setText] = useState(() =>
    formData && formData.length > 0 ? stringify(formData) : '',
  );

  const problems = useMemo(() => {
    const parsed = parseTransformations(text);
    if ('error' in parsed) {
      return [parsed.error];
    }
    return validatePipelinePart('transformations', parsed.value, fields);
  }, [text, fields]);

  const handleChange = (next: string) => {
    setText(next);
    const parsed = parseTransformations(next);
    onChange('value' in parsed ? parsed.value : undefined);
  };

  return (
    <>
      <TextField
        label={schema.title ?? 'Transformations'}
        multiline
        minRows={8}
        fullWidth
        variant="outlined"
        margin="normal"
        value={text}
        onChange={event => handleChange(event.target.value)}
        error={problems.length > 0 || (rawErrors?.length ?? 0) > 0}
        helperText={
          problems.length === 0
            ? schema.description ??
              'filter, select, watermark, deduplicate, aggregate, join'
            : undefined
        }
        inputProps={{
          spellCheck: false,
          style: { fontFamily: 'monospace' },
          'aria-label': 'transformations as YAML',
        }}
      />
      {problems.map(problem => (
        <Typography key={problem} color="error" variant="body2" role="alert">
          {problem}
        </Typography>
      ))}
    </>
  );
}

/**
 * The validation of {@link PipelineTransformationsEditor}: the spec rules,
 * with the columns of the form's fields.
 */
export const validatePipelineTransformations: CustomFieldValidator<
  unknown[],
  PipelineTransformationsEditorUiOptions
> = (transformations, validation, context) => {
  if (!Array.isArray(transformations)) {
    validation.addError('Fix the YAML of the transformations');
    return;
  }
  const options = context.uiSchema?.['ui:options'];
  const fields = options?.fieldsField
    ? fieldsOfSourceSchema(context.formData[options.fieldsField])
    : undefined;
  for (const problem of validatePipelinePart(
    'transformations',
    transformations,
    fields,
  )) {
    validation.addError(problem);
  }
};

/** The `PipelineTransformationsEditor` field extension. */
export const pipelineTransformationsEditorField = createFormField({
  name: 'PipelineTransformationsEditor',
  component: PipelineTransformationsEditor,
  validation: validatePipelineTransformations,
});
