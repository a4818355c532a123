import { PipelineHealth } from './types';

/**
 * Cost, lag and health of a set of pipelines (a team, or a system of it).
 *
 * @public
 */
export interface PipelineGroupFigures {
  pipelines: number;
  runningPipelines: number;
  /** Monthly run rate of the running pipelines; null when the caller may not read cost. */
  monthlyCost: number | null;
  /** Summed over the pipelines whose lag is known; null when none is. */
  lagMessages: number | null;
  byHealth: Record<PipelineHealth, number>;
}

/**
 * One owner's pipelines, by system.
 *
 * @public
 */
export interface TeamFigures extends PipelineGroupFigures {
  /** Owner as a full entity ref (a group unless the spec says otherwise); null for unowned pipelines. */
  owner: string | null;
  systems: Array<PipelineGroupFigures & { system: string | null }>;
  /** The team's monthly budget (`streaming.budgets.monthly`), when configured and the caller may read cost. */
  monthlyBudget?: number;
  /** The month's run rate is above the budget (only when cost is readable). */
  overBudget: boolean;
}

/**
 * `GET /teams`: the overview grouped by owner and system.
 *
 * @public
 */
export interface StreamingTeamsResponse {
  generatedAt: string;
  currency: string;
  teams: TeamFigures[];
}
