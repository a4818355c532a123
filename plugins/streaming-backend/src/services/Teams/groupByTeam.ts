import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  PipelineGroupFigures,
  PipelineHealth,
  StreamingOverviewResponse,
  StreamingTeamsResponse,
  TeamFigures,
} from '@internal/plugin-streaming-common';

type Row = StreamingOverviewResponse['pipelines'][number];

function figures(rows: Row[]): PipelineGroupFigures {
  const byHealth: Record<PipelineHealth, number> = {
    ok: 0,
    warning: 0,
    critical: 0,
    stale: 0,
    unknown: 0,
  };
  let lag: number | null = null;
  let cost: number | null = 0;
  for (const row of rows) {
    byHealth[row.health] += 1;
    if (row.lagMessages !== null) lag = (lag ?? 0) + row.lagMessages;
    if (row.monthlyCost === null) cost = null;
    else if (cost !== null && row.running) cost += row.monthlyCost;
  }
  return {
    pipelines: rows.length,
    runningPipelines: rows.filter(r => r.running).length,
    monthlyCost: cost === null ? null : Math.round(cost * 100) / 100,
    lagMessages: lag,
    byHealth,
  };
}

/** An owner as a full entity ref (group by default), or as written when it is no ref. */
function ownerRef(owner: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return owner;
  }
}

function groupBy<K>(rows: Row[], key: (row: Row) => K): Map<K, Row[]> {
  const groups = new Map<K, Row[]>();
  for (const row of rows) {
    const k = key(row);
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  return groups;
}

/**
 * The caller's overview grouped by owner, then system, with each team's
 * monthly budget and whether the month's run rate (the running pipelines'
 * monthly cost) exceeds it. Teams are sorted by run rate, highest first.
 */
export function groupByTeam(
  overview: StreamingOverviewResponse,
  budgets: Record<string, number>,
): StreamingTeamsResponse {
  const budgetOf = new Map(
    Object.entries(budgets).map(([owner, budget]) => [ownerRef(owner), budget]),
  );
  const teams = [
    ...groupBy(overview.pipelines, r =>
      r.owner ? ownerRef(r.owner) : null,
    ).entries(),
  ].map(([owner, rows]): TeamFigures => {
    const total = figures(rows);
    // A budget is a cost figure: shown only to callers who may read cost.
    const monthlyBudget =
      owner === null || total.monthlyCost === null
        ? undefined
        : budgetOf.get(owner);
    return {
      owner,
      ...total,
      systems: [...groupBy(rows, r => r.system ?? null).entries()]
        .map(([system, systemRows]) => ({ system, ...figures(systemRows) }))
        .sort((a, b) => (a.system ?? '').localeCompare(b.system ?? '')),
      ...(monthlyBudget !== undefined ? { monthlyBudget } : {}),
      overBudget:
        monthlyBudget !== undefined &&
        total.monthlyCost !== null &&
        total.monthlyCost > monthlyBudget,
    };
  });
  teams.sort(
    (a, b) =>
      (b.monthlyCost ?? -1) - (a.monthlyCost ?? -1) ||
      (a.owner ?? '').localeCompare(b.owner ?? ''),
  );
  return {
    generatedAt: overview.generatedAt,
    currency: overview.totals.currency,
    teams,
  };
}
