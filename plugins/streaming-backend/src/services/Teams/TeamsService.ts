import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  formatZodIssues,
  StreamingTeamsResponse,
} from '@internal/plugin-streaming-common';
import { z } from 'zod';
import { OverviewService } from '../Overview/OverviewService';
import { groupByTeam } from './groupByTeam';

const budgetsSchema = z.record(z.string().min(1), z.number().positive());

/**
 * Cost, lag and health per team (owner) and system, from the caller's
 * overview (so the same visibility and cost permission apply), with each
 * team's monthly budget from `streaming.budgets.monthly`.
 */
export class TeamsService {
  private constructor(
    private readonly overview: OverviewService,
    private readonly budgets: Record<string, number>,
  ) {}

  static fromConfig(config: Config, overview: OverviewService): TeamsService {
    const parsed = budgetsSchema.safeParse(
      config.getOptional('streaming.budgets.monthly') ?? {},
    );
    if (!parsed.success) {
      throw new Error(
        `Invalid streaming.budgets.monthly config: ${formatZodIssues(
          parsed.error.issues,
          { root: 'streaming.budgets.monthly' },
        )}`,
      );
    }
    return new TeamsService(overview, parsed.data);
  }

  async getTeams(
    credentials: BackstageCredentials,
    mayReadCost: (entityRefs: string[]) => Promise<boolean[]>,
  ): Promise<StreamingTeamsResponse> {
    return groupByTeam(
      await this.overview.getOverview(credentials, mayReadCost),
      this.budgets,
    );
  }
}
