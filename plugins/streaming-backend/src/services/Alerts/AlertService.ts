import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { PipelineHealth } from '@internal/plugin-streaming-common';
import { Knex } from 'knex';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { PipelineState } from '../Status/StatusService';

/**
 * The signal channel of a pipeline's health: a message `{ changed: true }`
 * on every transition, so an open page refetches through the API (which
 * checks what its reader may see).
 */
export const healthSignalChannel = (entityRef: string) =>
  `streaming:health:${entityRef}`;

/** A change of a pipeline's health (in one of its environments). */
export interface HealthTransition {
  entityRef: string;
  /** The environment, for a pipeline's environments after its first. */
  environment?: string;
  from: PipelineHealth | undefined;
  to: PipelineHealth;
  reasons: string[];
}

const severities: Record<
  PipelineHealth,
  'low' | 'normal' | 'high' | 'critical'
> = {
  ok: 'low',
  unknown: 'low',
  warning: 'normal',
  stale: 'high',
  critical: 'critical',
};

/**
 * Remembers each pipeline's last health in the database and, when enabled,
 * notifies the owner once per transition (never again for the same health,
 * also across restarts and backend instances), with a link to the runbook
 * section that fits; signals every transition to open pages.
 */
export class AlertService {
  constructor(
    private readonly db: Knex,
    private readonly logger: LoggerService,
    private readonly notifications?: NotificationService,
    private readonly signals?: SignalsService,
  ) {}

  /**
   * Records the health of each pipeline; returns the transitions and
   * notifies them. An item with an `environment` is one of a pipeline's
   * environments after its first (whose health is the pipeline's own), kept
   * under `<entityRef>@<environment>`.
   */
  async record(
    items: Array<{
      pipeline: PipelineEntity;
      state: PipelineState;
      environment?: string;
    }>,
  ): Promise<HealthTransition[]> {
    const previous = new Map<string, PipelineHealth>();
    const key = (item: (typeof items)[number]) =>
      item.environment
        ? `${item.pipeline.entityRef}@${item.environment}`
        : item.pipeline.entityRef;
    const refs = items.map(key);
    for (let i = 0; i < refs.length; i += 500) {
      const rows: Array<{ entity_ref: string; health: PipelineHealth }> =
        await this.db('alert_states')
          .whereIn('entity_ref', refs.slice(i, i + 500))
          .select('entity_ref', 'health');
      rows.forEach(r => previous.set(r.entity_ref, r.health));
    }
    const transitions: HealthTransition[] = [];
    for (const item of items) {
      const { pipeline, state, environment } = item;
      const entityRef = key(item);
      const to = state.status.health;
      const from = previous.get(entityRef);
      if (from === to) continue;
      const row = {
        entity_ref: entityRef,
        health: to,
        reasons: JSON.stringify(state.status.reasons),
        changed_at: Date.now(),
      };
      // Only the instance whose update changes the row notifies.
      const changed =
        from === undefined
          ? (
              await this.db('alert_states')
                .insert(row)
                .onConflict('entity_ref')
                .ignore()
                .returning('entity_ref')
            ).length
          : await this.db('alert_states')
              .where({ entity_ref: entityRef, health: from })
              .update(row);
      if (!changed) continue;
      const transition = {
        entityRef: pipeline.entityRef,
        ...(environment ? { environment } : {}),
        from,
        to,
        reasons: state.status.reasons,
      };
      transitions.push(transition);
      await this.signals
        ?.publish({
          recipients: { type: 'broadcast' },
          channel: healthSignalChannel(pipeline.entityRef),
          message: { changed: true },
        })
        .catch(error =>
          this.logger.warn('Could not signal a pipeline health change', {
            entityRef: pipeline.entityRef,
            error: (error as Error).message,
          }),
        );
      await this.notify(pipeline, transition, state.status.runbookSection);
    }
    return transitions;
  }

  private async notify(
    pipeline: PipelineEntity,
    transition: HealthTransition,
    runbookSection: string | undefined,
  ) {
    const owner = pipeline.entity.spec?.owner;
    // The first evaluation of a healthy pipeline is no news.
    if (!this.notifications || typeof owner !== 'string') return;
    if (
      transition.from === undefined &&
      (transition.to === 'ok' || transition.to === 'unknown')
    )
      return;
    const ownerRef = stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: pipeline.entity.metadata.namespace ?? 'default',
      }),
    );
    const { namespace, name } = parseEntityRef(pipeline.entityRef);
    try {
      await this.notifications.send({
        recipients: { type: 'entity', entityRef: ownerRef },
        payload: {
          // A pipeline with environments says which one changed.
          title: `${name}${
            pipeline.summary.environment
              ? ` in ${pipeline.summary.environment}`
              : ''
          }: ${transition.from ?? 'new'} → ${transition.to}`,
          description:
            transition.reasons.join('; ') ||
            `The pipeline is ${transition.to} again.`,
          // The runbook section of the pipeline's TechDocs, else its page.
          link:
            runbookSection && /^[a-z-]+$/.test(runbookSection)
              ? `/docs/${namespace}/component/${name}/runbook/#${runbookSection}`
              : `/catalog/${namespace}/component/${name}`,
          severity: severities[transition.to],
          // One notification per transition (a scope would replace the last one).
          topic: `streaming-pipeline:${pipeline.entityRef}${
            transition.environment ? `@${transition.environment}` : ''
          }`,
        },
      });
    } catch (error) {
      this.logger.warn('Could not send a pipeline health notification', {
        entityRef: pipeline.entityRef,
        error: (error as Error).message,
      });
    }
  }
}
