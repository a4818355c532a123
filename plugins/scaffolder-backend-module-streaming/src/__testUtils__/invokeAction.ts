import {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject } from '@backstage/types';

/** How a test invokes an action. */
export interface InvokeOptions {
  workspacePath?: string;
  isDryRun?: boolean;
  taskId?: string;
  signal?: AbortSignal;
  /** Entity ref of the template the step belongs to. */
  templateRef?: string;
  /** The user running the task, as the scaffolder passes it. */
  user?: ActionContext<JsonObject>['user'];
}

/**
 * Invokes an action's handler with a mock context, as the scaffolder does
 * after rendering a step's input, and returns the outputs it set.
 */
export async function invokeAction(
  action: TemplateAction<any, any, any>,
  input: JsonObject,
  options: InvokeOptions = {},
): Promise<Record<string, any>> {
  const outputs: Record<string, unknown> = {};
  await action.handler({
    ...createMockActionContext({
      input,
      workspacePath: options.workspacePath,
      task: { id: options.taskId ?? 'mock-task-id' },
      templateInfo: options.templateRef
        ? { entityRef: options.templateRef }
        : undefined,
      user: options.user,
    }),
    isDryRun: options.isDryRun,
    signal: options.signal,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
  });
  return outputs;
}
