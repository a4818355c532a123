import { stringifyEntityRef } from '@backstage/catalog-model';
import { LinkButton } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_PIPELINE_SUMMARY,
  PipelineEnvironmentStatus,
} from '@internal/plugin-streaming-common';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useEntityStreamingData } from '../../hooks/useEntityStreamingData';
import { formatValue } from '../../lib/formatValue';
import { readPipelineSummary } from '../../lib/pipelineSummary';
import { scaffolderTemplateRouteRef } from '../../routes';
import { DataCard } from '../DataCard';
import { Fact } from '../Fact';
import { HealthStatus, healthLabel } from '../HealthStatus';
import { Identifier } from '../Identifier';

/** The template that promotes a pipeline to its next environment (templates/promote-pipeline). */
export const PROMOTE_PIPELINE_TEMPLATE = {
  namespace: 'default',
  templateName: 'promote-pipeline',
};

/** Tags longer than this are cut (the whole image shows on hover). */
const TAG_LENGTH = 20;

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    alignItems: 'stretch',
    overflowX: 'auto',
    gap: theme.spacing(1),
  },
  column: {
    flex: '1 1 0',
    minWidth: 200,
    padding: theme.spacing(2),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1.5),
  },
  between: {
    flex: '0 0 auto',
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'center',
    alignItems: 'center',
  },
}));

/**
 * The version an image runs, for a narrow column: its tag (`1.4.2`), or the
 * start of its digest (`sha256:3f9c2a7e8b1d`); long tags are cut.
 */
export function imageVersion(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) {
    const digest = image.slice(at + 1);
    const colon = digest.indexOf(':');
    return digest.slice(0, colon + 13);
  }
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  const tag = colon >= 0 ? last.slice(colon + 1) : 'latest';
  return tag.length > TAG_LENGTH ? `${tag.slice(0, TAG_LENGTH - 1)}…` : tag;
}

/**
 * Why a pipeline cannot be promoted from an environment, or undefined when
 * it can: it must be healthy and run an image.
 */
export function promoteBlocker(
  from: PipelineEnvironmentStatus,
): string | undefined {
  const reasons: string[] = [];
  if (from.health !== 'ok') {
    reasons.push(
      `${from.name}'s health is ${healthLabel(
        from.health,
      ).toLowerCase()}: promote only from a healthy environment`,
    );
  }
  if (!from.image) {
    reasons.push(`${from.name} runs no image yet: there is nothing to promote`);
  }
  return reasons.length > 0 ? `${reasons.join('; ')}.` : undefined;
}

function EnvironmentColumn(props: {
  env: PipelineEnvironmentStatus;
  first: boolean;
}) {
  const { env, first } = props;
  const classes = useStyles();
  return (
    <section className={classes.column} aria-label={`Environment ${env.name}`}>
      <div>
        <Typography variant="h6" component="h3">
          {env.name}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          <Identifier text={env.namespace} />
          {env.kubernetesCluster && (
            <>
              {' on '}
              <Identifier text={env.kubernetesCluster} />
            </>
          )}
        </Typography>
        {/* The same line in every column keeps the facts level. */}
        <Typography
          variant="caption"
          color="textSecondary"
          aria-hidden={!first}
        >
          {first ? 'The other cards show this environment.' : '\u00a0'}
        </Typography>
      </div>
      <Fact label="Health">
        <HealthStatus health={env.health} />
      </Fact>
      <Fact label="Spark application">{env.state ?? 'none found'}</Fact>
      <Fact label="Version">
        {env.image ? (
          <Tooltip title={env.image}>
            <span>
              <Identifier text={imageVersion(env.image)} />
            </span>
          </Tooltip>
        ) : (
          'no image'
        )}
      </Fact>
      <Fact label="Lag">
        {formatValue(env.lag.messages, 'count', { suffix: 'messages' })}
        {' / '}
        {formatValue(env.lag.seconds, 'seconds')}
      </Fact>
      <Fact label="Cost per day">
        {env.costPerDay
          ? formatValue(env.costPerDay.amount, 'currency', {
              currency: env.costPerDay.currency,
              suffix: '/day',
            })
          : 'unknown'}
      </Fact>
      <Fact label="Last micro-batch">
        {/* Its age counts from the batch's end, as the health header's. */}
        {env.lastBatchAt && env.lastBatchAgeSeconds !== null ? (
          <span
            title={`Trigger started ${new Date(
              env.lastBatchAt,
            ).toLocaleString()}`}
          >
            {formatValue(env.lastBatchAgeSeconds, 'seconds')} ago
          </span>
        ) : (
          'none yet'
        )}
      </Fact>
    </section>
  );
}

function PromoteButton(props: {
  from: PipelineEnvironmentStatus;
  to: string;
  link: string;
}) {
  const { from, to, link } = props;
  const blocker = promoteBlocker(from);
  const label = `Promote to ${to}`;
  if (blocker) {
    // A disabled button gets no mouse events: the tooltip hangs on a span.
    return (
      <Tooltip title={blocker}>
        <span data-testid={`promote-${from.name}-blocked`}>
          <Button variant="outlined" color="primary" disabled>
            {label}
          </Button>
        </span>
      </Tooltip>
    );
  }
  return (
    <LinkButton to={link} variant="outlined" color="primary">
      {label}
    </LinkButton>
  );
}

function EnvironmentsBody(props: {
  environments: PipelineEnvironmentStatus[];
}) {
  const { environments } = props;
  const classes = useStyles();
  const { entity } = useEntity();
  const template = useRouteRef(scaffolderTemplateRouteRef);
  const entityRef = stringifyEntityRef(entity);
  return (
    <div className={classes.row}>
      {environments.map((env, i) => {
        // Between this environment and the one after it, which the backend
        // names as its next.
        const to =
          i + 1 < environments.length
            ? env.next ?? environments[i + 1].name
            : undefined;
        const link =
          template &&
          `${template(PROMOTE_PIPELINE_TEMPLATE)}?${new URLSearchParams({
            formData: JSON.stringify({ entityRef, from: env.name, to }),
          })}`;
        return [
          <EnvironmentColumn key={env.name} env={env} first={i === 0} />,
          to && link && (
            <div key={`${env.name}-promote`} className={classes.between}>
              <PromoteButton from={env} to={to} link={link} />
            </div>
          ),
        ];
      })}
    </div>
  );
}

function LoadedEnvironmentsCard() {
  const { missingAnnotation, state } = useEntityStreamingData(
    ANNOTATION_PIPELINE_SUMMARY,
    (api, ref) => api.getPipelineEnvironments(ref),
  );
  return (
    <DataCard
      title="Environments"
      subheader="In promotion order"
      missingAnnotation={missingAnnotation}
      state={state}
      isEmpty={answer => answer.environments.length === 0}
      emptyTitle="No environments"
      emptyDescription="The backend reports no environment of this pipeline; its spec lists them under pipeline.environments."
    >
      {answer => <EnvironmentsBody environments={answer.environments} />}
    </DataCard>
  );
}

/**
 * Each environment of a pipeline (`pipeline.environments`) side by side in
 * promotion order: where it runs, its health, the SparkApplication's state,
 * the version it runs, its lag, cost and last micro-batch; between two
 * environments a link to the Promote pipeline template, disabled (saying
 * why) while the environment to promote from is not healthy or runs no image.
 * Renders nothing for a pipeline whose summary declares no environments.
 */
export function EnvironmentsCard() {
  const { entity } = useEntity();
  const declared = readPipelineSummary(entity)?.environments ?? [];
  return declared.length > 0 ? <LoadedEnvironmentsCard /> : null;
}
