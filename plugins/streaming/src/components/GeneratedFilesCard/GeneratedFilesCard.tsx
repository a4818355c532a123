import { Link } from '@backstage/core-components';
import {
  ANNOTATION_LOCATION,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_PIPELINE_SPEC,
  GeneratedFileState,
  PipelineDriftResponse,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Alert from '@material-ui/lab/Alert';
import { useEntityStreamingData } from '../../hooks/useEntityStreamingData';
import { scaffolderTemplateRouteRef } from '../../routes';
import { DataCard } from '../DataCard';
import { Identifier } from '../Identifier';

/** The template that renders a pipeline's repository again (templates/update-pipeline). */
export const UPDATE_PIPELINE_TEMPLATE = {
  namespace: 'default',
  templateName: 'update-pipeline',
};

const STATE_TEXT: Record<Exclude<GeneratedFileState, 'unchanged'>, string> = {
  changed: 'differs from what pipeline.yaml renders',
  missing: 'not in the repository',
  extra: 'generated, no longer rendered',
};

function versions({ generatorVersion }: PipelineDriftResponse): string {
  const { current, repository } = generatorVersion;
  if (!repository) {
    return `The repository does not record its generator version; the platform's is ${current}.`;
  }
  return repository === current
    ? `Rendered by generator ${repository}, the platform's.`
    : `Rendered by generator ${repository}; the platform's is ${current}.`;
}

/**
 * Whether the pipeline repository's generated files are what the current
 * spec and generator render: "Up to date with generator X", or each drifted
 * file with its state and a link to the Update pipeline template with this
 * pipeline preselected (for a pipeline registered from a file, which the
 * template cannot fetch, the CLI command instead).
 */
export function GeneratedFilesCard() {
  const { entity } = useEntity();
  const template = useRouteRef(scaffolderTemplateRouteRef);
  const { missingAnnotation, state } = useEntityStreamingData(
    ANNOTATION_PIPELINE_SPEC,
    (api, ref) => api.getPipelineDrift(ref),
  );
  // The template fetches what the scaffolder can read: not a file location.
  const fromFile =
    entity.metadata.annotations?.[ANNOTATION_LOCATION]?.startsWith('file:');
  const updateLink =
    template &&
    !fromFile &&
    `${template(UPDATE_PIPELINE_TEMPLATE)}?${new URLSearchParams({
      formData: JSON.stringify({ pipeline: stringifyEntityRef(entity) }),
    })}`;
  return (
    <DataCard
      title="Generated files"
      missingAnnotation={missingAnnotation}
      state={state}
      emptyTitle="No answer"
      sourceErrors={d => d.errors}
    >
      {d => {
        const drifted = d.files.filter(f => f.state !== 'unchanged');
        if (d.state === 'up-to-date') {
          return (
            <Alert severity="success">
              Up to date with generator {d.generatorVersion.current}:{' '}
              {d.files.length} generated files are what pipeline.yaml renders.
            </Alert>
          );
        }
        return (
          <>
            {drifted.length > 0 && (
              <Alert severity="warning">
                {drifted.length} of the repository's generated files differ from
                what pipeline.yaml and generator {d.generatorVersion.current}{' '}
                render. {versions(d)}
              </Alert>
            )}
            <List dense aria-label="Drifted files">
              {drifted.map(file => (
                <ListItem key={file.path}>
                  <ListItemText
                    primary={<Identifier text={file.path} />}
                    secondary={`${file.state}: ${
                      STATE_TEXT[file.state as keyof typeof STATE_TEXT]
                    }`}
                  />
                </ListItem>
              ))}
            </List>
            {fromFile && drifted.length > 0 && (
              <Box mt={1}>
                This pipeline is registered from a file: render it again in its
                folder with{' '}
                <code>
                  yarn streaming-pipeline render pipeline.yaml --out .
                </code>{' '}
                and the options of its workflow.
              </Box>
            )}
            {updateLink && drifted.length > 0 && (
              <Box mt={1}>
                <Link to={updateLink}>
                  Render them again with the Update pipeline template
                </Link>
              </Box>
            )}
          </>
        );
      }}
    </DataCard>
  );
}
