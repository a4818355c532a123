import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InfoCard,
  LinkButton,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  PipelineBackfill,
  PipelineOperation,
  PipelineStatusResponse,
  streamingPipelineOperatePermission,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsync from 'react-use/esm/useAsync';
import { streamingApiRef } from '../../api';
import { scaffolderTemplateRouteRef } from '../../routes';

/** The template that reprocesses a range of a pipeline's source (templates/backfill-pipeline). */
export const BACKFILL_PIPELINE_TEMPLATE = {
  namespace: 'default',
  templateName: 'backfill-pipeline',
};

type Action = PipelineOperation['action'];

const ACTIONS: Array<{ action: Action; label: string; explain: string }> = [
  {
    action: 'pause',
    label: 'Pause',
    explain:
      'Sets spec.suspend on the SparkApplication: the operator stops its pods and the job stops after its running micro-batch. Resume starts it again from its checkpoint.',
  },
  {
    action: 'resume',
    label: 'Resume',
    explain:
      'Clears spec.suspend: the operator submits the application again; it continues from its checkpoint.',
  },
  {
    action: 'restart',
    label: 'Restart',
    explain:
      'Deletes the SparkApplication and creates it again with the same spec: the job stops after its running micro-batch and starts again from its checkpoint.',
  },
];

/**
 * Pause, resume and restart of the pipeline (for callers allowed
 * `streaming.pipeline.operate` on it, by default its owners), each after a
 * confirmation, and the pipeline's operations: who did what, when, and what
 * came of it. The SparkApplication's state decides the buttons: Pause while
 * it runs, Resume while it is suspended (`spec.suspend`); both are read again
 * after every operation. Backfill opens the Backfill pipeline template with
 * the pipeline preselected (its action checks ownership again); the
 * backfills of the last 24 hours show with their progress (from their own
 * progress events).
 */
export function PipelineOperationsCard() {
  const { entity } = useEntity();
  const api = useApi(streamingApiRef);
  const ref = getCompoundEntityRef(entity);
  const { allowed } = usePermission({
    permission: streamingPipelineOperatePermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const [asked, setAsked] = useState<Action | undefined>();
  // Read again after every operation (its result is the newest row).
  const [operations, setOperations] = useState(0);
  const history = useAsync(
    () => api.getPipelineOperations(ref),
    [api, ref.namespace, ref.name, operations],
  );
  const status = useAsync(
    () => api.getPipelineStatus(ref),
    [api, ref.namespace, ref.name, operations],
  );
  const backfills = useAsync(
    () => api.getPipelineBackfills(ref),
    [api, ref.namespace, ref.name],
  );
  const application = status.value?.application;
  // Unknown while the status cannot be read: both, the route answers either.
  const offered = ACTIONS.filter(({ action }) => {
    if (status.error) return true;
    if (!application) return false;
    if (action === 'pause') return !application.suspended;
    if (action === 'resume') return application.suspended;
    return true;
  });
  const [run, operate] = useAsyncFn(
    async (action: Action) => {
      try {
        return await api.operatePipeline(ref, action);
      } finally {
        setOperations(n => n + 1);
      }
    },
    [api, ref.namespace, ref.name],
  );
  const confirm = ACTIONS.find(a => a.action === asked);
  const template = useRouteRef(scaffolderTemplateRouteRef);
  const backfillLink =
    template &&
    `${template(BACKFILL_PIPELINE_TEMPLATE)}?${new URLSearchParams({
      formData: JSON.stringify({ pipeline: stringifyEntityRef(entity) }),
    })}`;

  return (
    <InfoCard title="Operations">
      <ApplicationState
        loading={status.loading && !status.value}
        error={status.error}
        application={application}
      />
      {allowed && (offered.length > 0 || backfillLink) && (
        <Box display="flex" style={{ gap: 8 }} mb={2}>
          {offered.map(({ action, label }) => (
            <Button
              key={action}
              variant="outlined"
              color={action === 'restart' ? 'secondary' : 'primary'}
              disabled={run.loading}
              onClick={() => setAsked(action)}
            >
              {label}
            </Button>
          ))}
          {backfillLink && (
            <LinkButton
              to={backfillLink}
              variant="outlined"
              title="Reprocess a range of the source into the same sink, once, as a bounded job beside the pipeline"
            >
              Backfill
            </LinkButton>
          )}
        </Box>
      )}
      {run.error && <ResponseErrorPanel error={run.error} />}
      {run.value && (
        <Typography variant="body2" paragraph>
          {run.value.action}: {run.value.result}
          {run.value.message ? ` (${run.value.message})` : ''}
        </Typography>
      )}
      <OperationsHistory
        loading={history.loading && !history.value}
        error={history.error}
        operations={history.value?.operations}
      />
      <Backfills
        loading={backfills.loading}
        error={backfills.error}
        backfills={backfills.value?.backfills}
      />
      <Dialog open={Boolean(confirm)} onClose={() => setAsked(undefined)}>
        {confirm && (
          <>
            <DialogTitle>
              {confirm.label} {entity.metadata.name}?
            </DialogTitle>
            <DialogContent>
              <DialogContentText>{confirm.explain}</DialogContentText>
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setAsked(undefined)}>Cancel</Button>
              <Button
                color="primary"
                onClick={() => {
                  setAsked(undefined);
                  operate(confirm.action);
                }}
              >
                {confirm.label}
              </Button>
            </DialogActions>
          </>
        )}
      </Dialog>
    </InfoCard>
  );
}

function ApplicationState(props: {
  loading: boolean;
  error?: Error;
  application?: PipelineStatusResponse['application'];
}) {
  const { application } = props;
  if (props.loading) return <Progress />;
  let text: string;
  if (props.error) {
    text = `State unknown: ${props.error.message}`;
  } else if (!application) {
    text =
      'No SparkApplication found for this pipeline: nothing to pause, resume or restart.';
  } else {
    const { cluster, namespace, name, state } = application;
    text = `SparkApplication ${cluster}/${namespace}/${name}: ${
      application.suspended ? 'paused (spec.suspend)' : 'not paused'
    }, state ${state}`;
  }
  return (
    <Typography variant="body2" paragraph aria-label="SparkApplication state">
      {text}
    </Typography>
  );
}

function OperationsHistory(props: {
  loading: boolean;
  error?: Error;
  operations?: PipelineOperation[];
}) {
  if (props.loading) return <Progress />;
  if (props.error) return <ResponseErrorPanel error={props.error} />;
  if (!props.operations?.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        No pauses, resumes or restarts yet.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Operations">
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>Who</TableCell>
          <TableCell>What</TableCell>
          <TableCell>Result</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.operations.map(o => (
          <TableRow key={o.id}>
            <TableCell>{new Date(o.at).toLocaleString()}</TableCell>
            <TableCell>{o.actor}</TableCell>
            <TableCell>{o.action}</TableCell>
            <TableCell>
              {o.result}
              {o.message ? `: ${o.message}` : ''}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Backfills(props: {
  loading: boolean;
  error?: Error;
  backfills?: PipelineBackfill[];
}) {
  if (props.loading) return <Progress />;
  if (props.error) return <ResponseErrorPanel error={props.error} />;
  if (!props.backfills?.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        No backfills in the last 24 hours.
      </Typography>
    );
  }
  return (
    <Box mt={2}>
      <Typography variant="subtitle2">Backfills (last 24 hours)</Typography>
      <Table size="small" aria-label="Backfills">
        <TableHead>
          <TableRow>
            <TableCell>Backfill</TableCell>
            <TableCell align="right">Micro-batches</TableCell>
            <TableCell align="right">Input rows</TableCell>
            <TableCell>First batch</TableCell>
            <TableCell>Last batch</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.backfills.map(b => (
            <TableRow key={b.queryName}>
              <TableCell>{b.id}</TableCell>
              <TableCell align="right">
                {b.batches.toLocaleString('en-US')}
              </TableCell>
              <TableCell align="right">
                {b.inputRows.toLocaleString('en-US')}
              </TableCell>
              <TableCell>{new Date(b.firstBatchAt).toLocaleString()}</TableCell>
              <TableCell>{new Date(b.lastBatchAt).toLocaleString()}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
