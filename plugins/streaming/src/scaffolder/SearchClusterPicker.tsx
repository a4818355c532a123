import { useApi } from '@backstage/core-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { streamingApiRef } from '../api/StreamingApi';

/** Props of {@link SearchClusterPicker}. */
export type SearchClusterPickerProps = FieldExtensionComponentProps<string>;

/**
 * A search cluster of app-config (`streaming.search.clusters`), picked by
 * name; the first one when the form's value (the template's default) is not
 * configured. When the clusters cannot be listed the field stays a plain
 * text field and says why.
 */
export function SearchClusterPicker(props: SearchClusterPickerProps) {
  const { formData, idSchema, onChange, rawErrors, required, schema } = props;
  const streamingApi = useApi(streamingApiRef);
  const { value, loading, error } = useAsync(
    () => streamingApi.listSearchClusters(),
    [streamingApi],
  );
  const names = (value?.clusters ?? []).map(c => c.name);
  const first = names[0];
  const configured = formData !== undefined && names.includes(formData);

  useEffect(() => {
    if (first !== undefined && !configured) {
      onChange(first);
    }
  }, [first, configured, onChange]);

  const label = schema.title ?? 'Search cluster';
  const invalid = (rawErrors?.length ?? 0) > 0;

  if (names.length > 0) {
    return (
      <TextField
        select
        id={idSchema?.$id}
        label={label}
        margin="normal"
        required={required}
        error={invalid}
        helperText={schema.description}
        value={configured ? formData : ''}
        onChange={event => onChange(event.target.value)}
      >
        {names.map(name => (
          <MenuItem key={name} value={name}>
            {name}
          </MenuItem>
        ))}
      </TextField>
    );
  }

  let helperText: string | undefined = schema.description;
  if (error) {
    helperText = `Could not list the search clusters (${error.message}); type the cluster name.`;
  } else if (value) {
    helperText =
      'No search cluster is configured (streaming.search.clusters); type the name of one the pipeline will run with.';
  }
  return (
    <TextField
      id={idSchema?.$id}
      label={label}
      margin="normal"
      required={required}
      disabled={loading}
      error={invalid}
      helperText={helperText}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value || undefined)}
    />
  );
}

/** The `SearchClusterPicker` field extension. */
export const searchClusterPickerField = createFormField({
  name: 'SearchClusterPicker',
  component: SearchClusterPicker,
});
