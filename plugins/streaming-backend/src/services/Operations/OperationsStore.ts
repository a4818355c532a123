import { PipelineOperation } from '@internal/plugin-streaming-common';
import { Knex } from 'knex';

/** What is recorded of one operation; `id` and `at` are the store's. */
export type NewPipelineOperation = Omit<PipelineOperation, 'id' | 'at'>;

interface OperationRow {
  id: number | string;
  entity_ref: string;
  action: string;
  actor: string;
  at: number | string;
  result: string;
  message: string | null;
  target: string | null;
}

const TABLE = 'pipeline_operations';

/**
 * The audit trail of pipeline operations (table `pipeline_operations` of the
 * plugin's database): who asked for what, when, and what came of it.
 */
export class OperationsStore {
  constructor(private readonly db: Knex) {}

  async record(operation: NewPipelineOperation): Promise<PipelineOperation> {
    const at = Date.now();
    const [inserted] = await this.db<OperationRow>(TABLE).insert(
      {
        entity_ref: operation.entityRef,
        action: operation.action,
        actor: operation.actor,
        at,
        result: operation.result,
        message: operation.message ?? null,
        target: operation.target ? JSON.stringify(operation.target) : null,
      },
      ['id'],
    );
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    return { ...operation, id: Number(id), at: new Date(at).toISOString() };
  }

  /** The entity's operations, newest first. */
  async list(entityRef: string, limit: number): Promise<PipelineOperation[]> {
    const rows = await this.db<OperationRow>(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(row => ({
      id: Number(row.id),
      entityRef: row.entity_ref,
      action: row.action as PipelineOperation['action'],
      actor: row.actor,
      at: new Date(Number(row.at)).toISOString(),
      result: row.result as PipelineOperation['result'],
      ...(row.message ? { message: row.message } : {}),
      ...(row.target ? { target: JSON.parse(row.target) } : {}),
    }));
  }
}
