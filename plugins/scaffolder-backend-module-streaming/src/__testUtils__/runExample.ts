import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import yaml from 'yaml';
import { invokeAction, InvokeOptions } from './invokeAction';

/**
 * Runs every step of an action's example that uses that action and returns
 * the outputs of each step.
 */
export async function runExample(
  action: TemplateAction<any, any, any>,
  example: string,
  options: InvokeOptions = {},
): Promise<Array<Record<string, any>>> {
  const { steps } = yaml.parse(example) as {
    steps: Array<{ action: string; input: JsonObject }>;
  };
  const outputs = [];
  for (const step of steps.filter(s => s.action === action.id)) {
    outputs.push(await invokeAction(action, step.input, options));
  }
  return outputs;
}
