import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  PIPELINE_HEALTHS,
  PipelineGroupFigures,
  PipelineHealth,
  TeamFigures,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Fragment } from 'react';
import { streamingApiRef } from '../../api';
import { useAutoRefresh } from '../../hooks/useAutoRefresh';
import { formatValue } from '../../lib/formatValue';
import { HealthStatus, healthLabel } from '../HealthStatus';

/** Worst first: the health a group is shown with. */
const SEVERITY: PipelineHealth[] = [
  'critical',
  'warning',
  'stale',
  'unknown',
  'ok',
];

function teamName(owner: string | null): string {
  if (owner === null) return 'No owner';
  try {
    return parseEntityRef(owner).name;
  } catch {
    return owner;
  }
}

/** A link to an owner or system as written in a spec (short names allowed), or the text itself. */
function RefLink({ entityRef, kind }: { entityRef: string; kind: string }) {
  try {
    const ref = parseEntityRef(entityRef, {
      defaultKind: kind,
      defaultNamespace: 'default',
    });
    return <EntityRefLink entityRef={ref} hideIcon />;
  } catch {
    return <>{entityRef}</>;
  }
}

function HealthSummary({ byHealth }: Pick<PipelineGroupFigures, 'byHealth'>) {
  const worst = SEVERITY.find(h => byHealth[h] > 0);
  if (!worst) return <>—</>;
  const counts = PIPELINE_HEALTHS.filter(h => byHealth[h] > 0)
    .map(h => `${byHealth[h]} ${healthLabel(h).toLowerCase()}`)
    .join(' · ');
  return (
    <>
      <HealthStatus health={worst} />
      <Typography variant="caption" color="textSecondary" component="div">
        {counts}
      </Typography>
    </>
  );
}

function Figures({
  figures,
  currency,
}: {
  figures: PipelineGroupFigures;
  currency: string;
}) {
  return (
    <>
      <TableCell>
        {figures.runningPipelines} of {figures.pipelines} running
      </TableCell>
      <TableCell>
        <HealthSummary byHealth={figures.byHealth} />
      </TableCell>
      <TableCell align="right">
        {figures.lagMessages === null
          ? 'unknown'
          : formatValue(figures.lagMessages, 'count', { suffix: 'messages' })}
      </TableCell>
      <TableCell align="right">
        {figures.monthlyCost === null
          ? 'not permitted'
          : formatValue(figures.monthlyCost, 'currency', {
              currency,
              suffix: '/mo',
            })}
      </TableCell>
    </>
  );
}

function Budget({ team, currency }: { team: TeamFigures; currency: string }) {
  if (team.monthlyBudget === undefined) {
    return <>{team.monthlyCost === null ? '' : 'none set'}</>;
  }
  const budget = formatValue(team.monthlyBudget, 'currency', {
    currency,
    suffix: '/mo',
  });
  const used = Math.round(((team.monthlyCost ?? 0) / team.monthlyBudget) * 100);
  return (
    <>
      {budget}
      <Box>
        {team.overBudget ? (
          <Chip
            size="small"
            color="secondary"
            label={`Over budget: ${used}%`}
          />
        ) : (
          <Typography variant="caption" color="textSecondary">
            {used}% used
          </Typography>
        )}
      </Box>
    </>
  );
}

/**
 * The overview per team: cost (the month's run rate), lag and health of each
 * owner's pipelines and of their systems, with the team's monthly budget and
 * a warning for every team whose run rate is above it.
 */
export function TeamsCard() {
  const api = useApi(streamingApiRef);
  const state = useAutoRefresh(() => api.getTeams(), [api]);

  let body;
  if (state.loading) {
    body = <Progress />;
  } else if (state.error) {
    body = <ResponseErrorPanel error={state.error} />;
  } else if (!state.value || state.value.teams.length === 0) {
    body = (
      <Typography color="textSecondary">
        No pipelines you may read yet.
      </Typography>
    );
  } else {
    const { teams, currency } = state.value;
    const money = (value: number | null) =>
      formatValue(value, 'currency', { currency, suffix: '/mo' });
    body = (
      <>
        {teams
          .filter(t => t.overBudget)
          .map(t => (
            <Alert
              key={t.owner ?? ''}
              severity="error"
              style={{ marginBottom: 8 }}
            >
              {teamName(t.owner)} is over its monthly budget: running at{' '}
              {money(t.monthlyCost)} against {money(t.monthlyBudget ?? null)}.
            </Alert>
          ))}
        <Table size="small" aria-label="Teams">
          <TableHead>
            <TableRow>
              <TableCell>Team / system</TableCell>
              <TableCell>Pipelines</TableCell>
              <TableCell>Health</TableCell>
              <TableCell align="right">Lag</TableCell>
              <TableCell align="right">Monthly cost</TableCell>
              <TableCell align="right">Budget</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {teams.map(team => (
              <Fragment key={team.owner ?? ''}>
                <TableRow aria-label={teamName(team.owner)}>
                  <TableCell>
                    <strong>
                      {team.owner ? (
                        <RefLink entityRef={team.owner} kind="group" />
                      ) : (
                        'No owner'
                      )}
                    </strong>
                  </TableCell>
                  <Figures figures={team} currency={currency} />
                  <TableCell align="right">
                    <Budget team={team} currency={currency} />
                  </TableCell>
                </TableRow>
                {team.systems.map(system => (
                  <TableRow key={system.system ?? ''}>
                    <TableCell style={{ paddingLeft: 32 }}>
                      {system.system ? (
                        <RefLink entityRef={system.system} kind="system" />
                      ) : (
                        <Typography variant="body2" color="textSecondary">
                          no system
                        </Typography>
                      )}
                    </TableCell>
                    <Figures figures={system} currency={currency} />
                    <TableCell />
                  </TableRow>
                ))}
              </Fragment>
            ))}
          </TableBody>
        </Table>
      </>
    );
  }

  return (
    <InfoCard
      title="Teams"
      subheader="Cost (running pipelines' monthly run rate), lag and health by owner and system"
    >
      {body}
    </InfoCard>
  );
}
