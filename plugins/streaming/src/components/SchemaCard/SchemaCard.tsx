import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_PIPELINE_SCHEMA_VERSION,
  ANNOTATION_PIPELINE_SUMMARY,
  PipelineSchemaSubject,
  PipelineSchemasResponse,
  SchemaVersionInfo,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEntityStreamingData } from '../../hooks/useEntityStreamingData';
import { DataCard } from '../DataCard';
import { Fact } from '../Fact';
import { Identifier } from '../Identifier';

/**
 * The schema registry subjects of the pipeline's source topics: the version
 * the pipeline was built for, the registry's latest, the versions between
 * them and whether the latest is compatible with the one in use under the
 * subject's compatibility level; each subject links its API entity.
 */
export function SchemaCard() {
  const { missingAnnotation, state } = useEntityStreamingData(
    ANNOTATION_PIPELINE_SUMMARY,
    (api, ref) => api.getPipelineSchemas(ref),
  );
  return (
    <DataCard
      title="Schemas"
      missingAnnotation={missingAnnotation}
      state={state}
      isEmpty={(s: PipelineSchemasResponse) => s.subjects.length === 0}
      emptyTitle="No registry subject"
      emptyDescription="No schema registry serving the source's Kafka cluster has a subject for its topics (<topic>-value)."
      sourceErrors={s => s.errors}
    >
      {s => (
        <>
          {s.subjects.map(subject => (
            <SubjectBody
              key={`${subject.registry}/${subject.subject}`}
              subject={subject}
            />
          ))}
        </>
      )}
    </DataCard>
  );
}

function version(v: SchemaVersionInfo) {
  return `v${v.version} (id ${v.id}${
    v.registeredAt
      ? `, registered ${new Date(v.registeredAt).toLocaleString('en-GB')}`
      : ''
  })`;
}

function Verdict({ subject }: { subject: PipelineSchemaSubject }) {
  if (!subject.inUse) {
    return (
      <Alert severity="info">
        The pipeline names no version of this subject (annotation{' '}
        <code>{ANNOTATION_PIPELINE_SCHEMA_VERSION}</code>): it cannot be
        compared with the latest, v{subject.latest.version}.
      </Alert>
    );
  }
  if (subject.newerVersions.length === 0) {
    return (
      <Alert severity="success">The pipeline reads the latest version.</Alert>
    );
  }
  const newer = `Newer: ${subject.newerVersions.map(v => `v${v}`).join(', ')}.`;
  if (subject.compatibleWithInUse === false) {
    return (
      <Alert severity="error">
        {newer} The latest is not compatible with v{subject.inUse.version} under{' '}
        {subject.compatibilityLevel ?? 'the registry default'}
        {subject.incompatibilities.length > 0 &&
          `: ${subject.incompatibilities
            .map(i => i.field ?? i.message)
            .join(', ')}`}
        .
      </Alert>
    );
  }
  return (
    <Alert severity="warning">
      {newer} The latest is compatible with v{subject.inUse.version} under{' '}
      {subject.compatibilityLevel ?? 'the registry default'}.
    </Alert>
  );
}

function SubjectBody({ subject }: { subject: PipelineSchemaSubject }) {
  return (
    <Box mb={2} component="section" aria-label={`subject ${subject.subject}`}>
      <Typography variant="subtitle1" component="h3">
        <EntityRefLink entityRef={subject.apiEntityRef}>
          <Identifier text={subject.subject} />
        </EntityRefLink>
      </Typography>
      <Grid container spacing={2}>
        <Grid item xs={6} md={3}>
          <Fact label="Registry">{subject.registry}</Fact>
        </Grid>
        <Grid item xs={6} md={3}>
          <Fact label="Type">{subject.schemaType}</Fact>
        </Grid>
        <Grid item xs={6} md={3}>
          <Fact label="In use">
            {subject.inUse ? version(subject.inUse) : 'not named'}
          </Fact>
        </Grid>
        <Grid item xs={6} md={3}>
          <Fact label="Latest">{version(subject.latest)}</Fact>
        </Grid>
      </Grid>
      <Box mt={1}>
        <Verdict subject={subject} />
      </Box>
    </Box>
  );
}
