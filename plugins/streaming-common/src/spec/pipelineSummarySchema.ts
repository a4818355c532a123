import { PipelineSummary } from '../api/types';
import { z } from 'zod';

const size = z.number().nonnegative();

/**
 * Validates the `pipeline-summary` annotation written by the catalog
 * processor (what {@link toPipelineSummary} returns), for its readers: the
 * backend and the pipeline page.
 *
 * @public
 */
const summaryFields = {
  name: z.string().min(1),
  queryName: z.string().min(1),
  source: z.object({
    type: z.enum(['kafka', 'debezium', 'delta']),
    cluster: z.string().optional(),
    topics: z.array(z.string().min(1)),
    path: z.string().optional(),
    schemaSubject: z
      .object({ registry: z.string().min(1), subject: z.string().min(1) })
      .optional(),
  }),
  sink: z.object({
    type: z.enum(['delta', 'elasticsearch', 'kafka']),
    mode: z.string().optional(),
    path: z.string().optional(),
    topic: z.string().optional(),
    index: z.string().optional(),
    cluster: z.string().optional(),
  }),
  deadLetter: z
    .object({
      type: z.enum(['kafka', 'delta']),
      topic: z.string().optional(),
      path: z.string().optional(),
    })
    .optional(),
  checkpoint: z.string(),
  thresholds: z.object({
    lagSeconds: z.number().positive().optional(),
    lagMessages: z.number().nonnegative(),
    channel: z.string().optional(),
  }),
  resources: z.object({
    driver: z.object({ cores: size, memoryGb: size }),
    executor: z.object({
      cores: size,
      memoryGb: size,
      instances: z.number().int().nonnegative(),
      minInstances: z.number().int().nonnegative().optional(),
      maxInstances: z.number().int().nonnegative().optional(),
    }),
  }),
  trigger: z.string().optional(),
  environment: z.string().min(1).optional(),
};

const environmentSummarySchema = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  kubernetesCluster: z.string().min(1).optional(),
  summary: z.object(summaryFields),
});

export const pipelineSummarySchema: z.ZodType<PipelineSummary> = z.object({
  ...summaryFields,
  environments: z.array(environmentSummarySchema).max(10).optional(),
});
