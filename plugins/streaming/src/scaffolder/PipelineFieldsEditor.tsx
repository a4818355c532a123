import { useApi } from '@backstage/core-plugin-api';
import {
  KAFKA_TOPIC_PATTERN,
  TopicFieldsResponse,
} from '@internal/plugin-streaming-common';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import DeleteIcon from '@material-ui/icons/Delete';
import useAsync from 'react-use/esm/useAsync';
import { streamingApiRef } from '../api/StreamingApi';
import {
  PipelineFieldRow,
  PipelineSourceSchema,
  PipelineSubjectRef,
  subjectFormatProblem,
} from './pipelineSourceSchema';

export type {
  PipelineFieldRow,
  PipelineSourceSchema,
  PipelineSubjectRef,
} from './pipelineSourceSchema';

/** `ui:options` of the fields editor. */
export interface PipelineFieldsEditorUiOptions {
  /** The form field holding the topic whose fields are proposed. */
  topicField?: string;
  /** The form field holding the Kafka cluster name (default: `local`). */
  clusterField?: string;
  /**
   * The form field holding the message format (`json` or `avro`): the editor
   * warns when the proposal's records are in another format, and Next is
   * refused while a chosen subject's records are in another format.
   */
  formatField?: string;
}

/**
 * Props of {@link PipelineFieldsEditor}. On a form field of `type: array`
 * the value is the fields; on one of `type: object` it is a
 * {@link PipelineSourceSchema}, and a proposal from a registry subject can
 * be taken as the subject to read with.
 */
export type PipelineFieldsEditorProps = FieldExtensionComponentProps<
  PipelineFieldRow[] | PipelineSourceSchema,
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

/** The subject a registry proposal names, as the spec's `source.schema` has it. */
function subjectOf(
  proposal: TopicFieldsResponse | undefined,
): PipelineSubjectRef | undefined {
  if (
    proposal?.origin !== 'registry' ||
    !proposal.registry ||
    !proposal.subject ||
    !proposal.version ||
    proposal.fields.length === 0
  ) {
    return undefined;
  }
  return {
    registry: proposal.registry,
    subject: proposal.subject,
    version: proposal.version,
  };
}

/** Whether the rows are the proposed fields (a copy the user has not changed). */
const sameFields = (
  rows: PipelineFieldRow[],
  proposed: PipelineFieldRow[],
): boolean =>
  rows.length === proposed.length &&
  rows.every(
    (row, i) =>
      row.name === proposed[i].name &&
      row.type === proposed[i].type &&
      !!row.nullable === !!proposed[i].nullable,
  );

const sameSubject = (a?: PipelineSubjectRef, b?: PipelineSubjectRef) =>
  !!a &&
  !!b &&
  a.registry === b.registry &&
  a.subject === b.subject &&
  a.version === b.version;

/**
 * The source's fields, one row each (name, type, nullable), with the fields
 * proposed for the chosen topic: from its registry subject's latest version,
 * else from a sample of its recent JSON messages. The proposal replaces the
 * rows only when the user takes it; every row stays editable. On an object
 * form field, a proposal from a registry subject offers a choice: read with
 * the subject (its version pinned; the spec names the subject and has no
 * fields, the rows show the subject's fields read-only) or copy the fields.
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
  // An object form field holds the fields and the subject chosen, if any.
  const holdsSubject = schema.type === 'object';
  const value: PipelineSourceSchema = Array.isArray(formData)
    ? { fields: formData }
    : { fields: [], ...formData };
  const rows = value.fields;
  const chosen = holdsSubject ? value.subject : undefined;
  const setRows = (fields: PipelineFieldRow[]) =>
    onChange(holdsSubject ? { fields } : fields);
  const idPrefix = props.idSchema?.$id ?? 'pipeline-fields';

  const proposal = useAsync(async () => {
    if (typeof topic !== 'string' || !KAFKA_TOPIC_PATTERN.test(topic)) {
      return undefined;
    }
    return streamingApi.getTopicFields(cluster, topic);
  }, [cluster, topic, streamingApi]);

  const update = (index: number, change: Partial<PipelineFieldRow>) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  const offered = proposal.value;
  const offeredSubject = holdsSubject ? subjectOf(offered) : undefined;
  const readsOffered = sameSubject(chosen, offeredSubject);
  const copiedOffered =
    !chosen && !!offered && sameFields(rows, offered.fields);
  let radioChoice = '';
  if (readsOffered) radioChoice = 'subject';
  else if (copiedOffered) radioChoice = 'fields';
  const formatProblem = subjectFormatProblem(value, formatValue);
  const copyOffered = () => setRows(offered!.fields.map(f => ({ ...f })));
  const readWithOffered = () =>
    onChange({
      fields: offered!.fields.map(f => ({ ...f })),
      subject: offeredSubject,
      subjectFormat: offered!.format,
    });
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
            offeredSubject ? undefined : (
              <Button color="primary" onClick={copyOffered}>
                Use these fields
              </Button>
            )
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
      {offered && offeredSubject && (
        <RadioGroup
          aria-label={`How the pipeline reads ${offered.topic}`}
          value={radioChoice}
          onChange={e =>
            e.target.value === 'subject' ? readWithOffered() : copyOffered()
          }
        >
          <FormControlLabel
            value="subject"
            control={<Radio color="primary" />}
            label={`Read with subject ${offeredSubject.subject} of registry ${offeredSubject.registry} (version ${offeredSubject.version}, pinned)`}
          />
          <FormControlLabel
            value="fields"
            control={<Radio color="primary" />}
            label="Copy the fields"
          />
        </RadioGroup>
      )}
      {chosen && (
        <Typography variant="body2" color="textSecondary">
          The job reads each record with version {chosen.version} of subject{' '}
          {chosen.subject} ({value.subjectFormat}); the fields below are that
          version's, for the transformations, and cannot be edited.
        </Typography>
      )}
      {chosen && !proposal.loading && !readsOffered && (
        <Alert
          severity="warning"
          action={
            <Button color="primary" onClick={() => setRows(rows)}>
              Edit the fields instead
            </Button>
          }
        >
          Reads with version {chosen.version} of subject {chosen.subject} of
          registry {chosen.registry}, which is not what{' '}
          {typeof topic === 'string' ? topic : 'the topic'} proposes now.
        </Alert>
      )}
      {formatProblem && (
        <Alert severity="error" role="alert">
          {formatProblem}
        </Alert>
      )}
      {!formatProblem &&
        offered &&
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
            disabled={!!chosen}
            margin="dense"
            onChange={e => update(index, { name: e.target.value })}
          />
          <Box ml={2} minWidth={140}>
            <TextField
              id={`${idPrefix}-${index}-type`}
              select
              label="Type"
              value={row.type}
              disabled={!!chosen}
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
                  disabled={!!chosen}
                  onChange={e => update(index, { nullable: e.target.checked })}
                />
              }
            />
          </Box>
          {!chosen && (
            <IconButton
              aria-label={`remove field ${row.name || index + 1}`}
              onClick={() => setRows(rows.filter((_, i) => i !== index))}
            >
              <DeleteIcon />
            </IconButton>
          )}
        </Box>
      ))}
      {!chosen && (
        <Button
          onClick={() => setRows([...rows, { name: '', type: 'string' }])}
        >
          Add field
        </Button>
      )}
      {rawErrors
        ?.filter(error => error !== formatProblem) // shown above already
        .map(error => (
          <Typography key={error} color="error" variant="body2" role="alert">
            {error}
          </Typography>
        ))}
    </Box>
  );
}

/**
 * The validation of {@link PipelineFieldsEditor}: a field cannot set another
 * (Message format), so Next is refused while the chosen subject's records
 * are in another format than the form's.
 */
export const validatePipelineFields: CustomFieldValidator<
  PipelineFieldRow[] | PipelineSourceSchema,
  PipelineFieldsEditorUiOptions
> = (value, validation, context) => {
  const options = context.uiSchema?.['ui:options'];
  const problem = options?.formatField
    ? subjectFormatProblem(value, context.formData[options.formatField])
    : undefined;
  if (problem) {
    validation.addError(problem);
  }
};

/** The `PipelineFieldsEditor` field extension. */
export const pipelineFieldsEditorField = createFormField({
  name: 'PipelineFieldsEditor',
  component: PipelineFieldsEditor,
  validation: validatePipelineFields,
});
