import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PipelineSpec } from '@internal/plugin-streaming-common';
import { SchemaRegistries } from '@internal/plugin-streaming-node';
import { z } from 'zod/v3';
import { parseActionInput } from './parseActionInput';
import { checkSchemaRegistry } from './checkSchemaRegistry';
import { examples } from './pipelineValidate.examples';
import {
  formatSpecErrors,
  specInputFields,
  validateSpecInput,
} from './specInput';

const inputSchema = z.object(specInputFields);

const outputSchema = z.object({
  valid: z.boolean().describe('Whether the spec has no error'),
  name: z.string().describe('The pipeline name; empty when invalid'),
  errors: z
    .array(z.string())
    .describe('One line per error: `path: what was expected`'),
  warnings: z
    .array(z.string())
    .describe('Practices the spec does not follow; they do not fail the step'),
});

/**
 * `streaming:pipeline:validate`: checks a pipeline spec. The step fails when
 * the spec has errors; warnings are logged and output. With schema registries
 * configured, the source's inline fields must also be compatible with the
 * latest version of the topic's subject (`<topic>-value`) under the
 * subject's compatibility level; the error names the fields that break.
 *
 * @public
 */
export function createPipelineValidateAction(options: {
  /** Names of `streaming.kafka.clusters`; a spec naming another is an error. */
  kafkaClusters: string[];
  /** `streaming.schemaRegistries`; none configured: no compatibility check. */
  schemaRegistries?: SchemaRegistries;
}) {
  const { kafkaClusters, schemaRegistries } = options;
  return createTemplateAction({
    id: 'streaming:pipeline:validate',
    description:
      'Validates a pipeline spec (object or YAML text). Outputs its errors and warnings; the step fails when there is an error.',
    examples,
    supportsDryRun: true,
    schema: {
      input: () => inputSchema,
      output: () => outputSchema,
    },
    async handler(ctx) {
      const input = parseActionInput(inputSchema, ctx.input);
      const result = validateSpecInput(input);
      const errors = formatSpecErrors(result.errors);
      const warnings = formatSpecErrors(result.warnings);
      if (result.spec) {
        errors.push(...unknownClusters(result.spec, kafkaClusters));
      }
      if (result.spec && errors.length === 0 && schemaRegistries) {
        const registry = await checkSchemaRegistry(
          result.spec,
          schemaRegistries,
          kafkaClusters[0],
        );
        errors.push(...registry.errors);
        warnings.push(...registry.warnings);
      }
      for (const warning of warnings) {
        ctx.logger.warn(`Pipeline spec: ${warning}`);
      }
      ctx.output('valid', errors.length === 0);
      ctx.output('name', result.spec?.pipeline.name ?? '');
      ctx.output('errors', errors);
      ctx.output('warnings', warnings);
      if (errors.length > 0) {
        throw new InputError(
          `The pipeline spec is invalid:\n${errors.join('\n')}`,
        );
      }
      ctx.logger.info(`Pipeline spec ${result.spec!.pipeline.name} is valid`);
    },
  });
}

/** Kafka clusters the spec names that app-config does not configure. */
function unknownClusters(spec: PipelineSpec, configured: string[]): string[] {
  const { source, sink } = spec.pipeline;
  const named: Array<[string, string | undefined]> = [
    [
      'pipeline.source.cluster',
      'cluster' in source ? source.cluster : undefined,
    ],
    ['pipeline.sink.cluster', 'cluster' in sink ? sink.cluster : undefined],
  ];
  return named
    .filter(
      ([, cluster]) => cluster !== undefined && !configured.includes(cluster),
    )
    .map(
      ([path, cluster]) =>
        `${path}: no Kafka cluster named "${cluster}" in app-config; configured: ${
          configured.join(', ') || 'none'
        }`,
    );
}
