import { useApi } from '@backstage/core-plugin-api';
import {
  KAFKA_TOPIC_PATTERN,
  PipelineFieldProposal,
  TopicFieldsResponse,
} from '@internal/plugin-streaming-common';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import DeleteIcon from '@material-ui/icons/Delete';
import useAsync from 'react-use/esm/useAsync';
import { streamingApiRef } from '../api/StreamingApi';

/** `ui:options` of the fields editor. */
export interface PipelineFieldsEditorUiOptions {
  /** The form field holding the topic whose fields are proposed. */
  topicField?: string;
  /** The form field holding the Kafka cluster name (default: `local`). */
  clusterField?: string;
  /**
   * The form field holding the message format (`json` or `avro`): the editor
   * warns when the proposal's records are in another format.
   */
  formatField?: string;
}

/** One field of the source's schema, as the spec's `source.fields` has it. */
export type PipelineFieldRow = PipelineFieldProposal;

/** Props of {@link PipelineFieldsEditor}. */
export type PipelineFieldsEditorProps = FieldExtensionComponentProps<
  PipelineFieldRow[],
  PipelineFieldsEditorUiOptions
>;

const TYPES: PipelineFieldRow['type'][] = [
  'string',
  'int',
  'long',
  'float',
  'double',
  'boolean',
  'timestamp',
  'date',
  'binary',
  'decimal',
];

/** Where the proposal comes from, in the words of the form. */
function origin(proposal: TopicFieldsResponse): string {
  if (proposal.origin === 'registry') {
    return `Subject ${proposal.subject} v${proposal.version} of schema registry ${proposal.registry} (${proposal.format})`;
  }
  return `${proposal.sampledMessages} recent messages of ${proposal.topic}, read as JSON`;
}

/**
 * The source's fields, one row each (name, type, nullable), with the fields
 * proposed for the chosen topic: from its registry subject's latest version,
 * else from a sample of its recent JSON messages. The proposal replaces the
 * rows only when the user takes it; every row stays editable.
 */
export function PipelineFieldsEditor(props: PipelineFieldsEditorProps) {
  const { formData, onChange, schema, uiSchema, rawErrors } = props;
  const options = uiSchema['ui:options'] ?? {};
  const formValues = (props.formContext?.formData ?? {}) as Record<
    string,
    unknown
  >;
  const topic = options.topicField ? formValues[options.topicField] : undefined;
  const clusterValue = options.clusterField
    ? formValues[options.clusterField]
    : undefined;
  const cluster =
    typeof clusterValue === 'string' && clusterValue ? clusterValue : 'local';
  const formatValue = options.formatField
    ? formValues[options.formatField]
    : undefined;
  const streamingApi = useApi(streamingApiRef);
  const rows = formData ?? [];
  const idPrefix = props.idSchema?.$id ?? 'pipeline-fields';

  const proposal = useAsync(async () => {
    if (typeof topic !== 'string' || !KAFKA_TOPIC_PATTERN.test(topic)) {
      return undefined;
    }
    return streamingApi.getTopicFields(cluster, topic);
  }, [cluster, topic, streamingApi]);

  const update = (index: number, change: Partial<PipelineFieldRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  const offered = proposal.value;
  return (
    <Box mt={2} mb={1}>
      <Typography variant="subtitle1" component="h3">
        {schema.title ?? 'Fields'}
      </Typography>
      {schema.description && (
        <Typography variant="body2" color="textSecondary">
          {schema.description}
        </Typography>
      )}
      {proposal.loading && (
        <Typography variant="body2">Reading the topic's schema…</Typography>
      )}
      {proposal.error && (
        <Alert severity="info">
          No fields proposed for {String(topic)}: {proposal.error.message}
        </Alert>
      )}
      {offered && offered.fields.length > 0 && (
        <Alert
          severity="info"
          action={
            <Button
              color="primary"
              onClick={() => onChange(offered.fields.map(f => ({ ...f })))}
            >
              Use these fields
            </Button>
          }
        >
          {origin(offered)}: {offered.fields.map(f => f.name).join(', ')}
          {offered.errors.map(e => (
            <Typography key={e.message} variant="body2">
              {e.message}
            </Typography>
          ))}
        </Alert>
      )}
      {offered &&
        typeof formatValue === 'string' &&
        formatValue !== offered.format && (
          <Alert severity="warning">
            The records of {offered.topic} are {offered.format}; Message format
            is {formatValue}: choose {offered.format} there, or the job will not
            read them.
          </Alert>
        )}
      {rows.map((row, index) => (
        <Box
          key={index}
          display="flex"
          alignItems="center"
          role="group"
          aria-label={`field ${index + 1}`}
        >
          <TextField
            id={`${idPrefix}-${index}-name`}
            label="Field"
            value={row.name}
            required
            margin="dense"
            onChange={e => update(index, { name: e.target.value })}
          />
          <Box ml={2} minWidth={140}>
            <TextField
              id={`${idPrefix}-${index}-type`}
              select
              label="Type"
              value={row.type}
              margin="dense"
              fullWidth
              onChange={e =>
                update(index, {
                  type: e.target.value as PipelineFieldRow['type'],
                })
              }
            >
              {TYPES.map(t => (
                <MenuItem key={t} value={t}>
                  {t}
                </MenuItem>
              ))}
            </TextField>
          </Box>
          <Box ml={2}>
            <FormControlLabel
              label="Nullable"
              control={
                <Checkbox
                  checked={row.nullable !== false}
                  onChange={e => update(index, { nullable: e.target.checked })}
                />
              }
            />
          </Box>
          <IconButton
            aria-label={`remove field ${row.name || index + 1}`}
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            <DeleteIcon />
          </IconButton>
        </Box>
      ))}
      <Button onClick={() => onChange([...rows, { name: '', type: 'string' }])}>
        Add field
      </Button>
      {rawErrors?.map(error => (
        <Typography key={error} color="error" variant="body2" role="alert">
          {error}
        </Typography>
      ))}
    </Box>
  );
}

/** The `PipelineFieldsEditor` field extension. */
export const pipelineFieldsEditorField = createFormField({
  name: 'PipelineFieldsEditor',
  component: PipelineFieldsEditor,
});
