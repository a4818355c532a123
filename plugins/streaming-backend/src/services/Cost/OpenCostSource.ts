import { z } from 'zod';
import { StreamingConfig } from '../../config/StreamingConfig';
import { TtlCache } from '../../lib/TtlCache';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import {
  CostEstimate,
  CostSource,
  SparkApplicationInfo,
} from '@internal/plugin-streaming-node';

/** The Spark Operator's pod label, as OpenCost names labels. */
const APP_LABEL = 'label:sparkoperator_k8s_io_app_name';
/**
 * How long one answer of the allocation API (every application's cost over
 * the window) serves all pipelines. OpenCost itself refreshes its
 * allocations about once a minute.
 */
const ALLOCATIONS_REUSE_MS = 60_000;

const allocationSchema = z.object({
  code: z.number(),
  data: z.array(
    z.record(
      z.string(),
      z
        .object({
          name: z.string(),
          minutes: z.number(),
          totalCost: z.number(),
        })
        .loose(),
    ),
  ),
});

type Allocations = z.infer<typeof allocationSchema>;

/**
 * Prices a pipeline from OpenCost's allocation API (`/allocation/compute`,
 * aggregated by the Spark Operator's app-name label): the measured cost of
 * the window divided by its running hours. Falls back to the rates when
 * OpenCost does not know the application or does not answer. One answer of
 * the API (all applications) serves every pipeline for a minute.
 */
export class OpenCostSource implements CostSource {
  private readonly allocations = new TtlCache<Allocations>(
    ALLOCATIONS_REUSE_MS,
  );

  constructor(
    private readonly options: NonNullable<StreamingConfig['cost']['opencost']>,
    private readonly fallback: CostSource,
  ) {}

  /** Every application's allocation over the window: one request, shared. */
  private fetchAllocations(): Promise<Allocations> {
    return this.allocations.get('', async () => {
      const url = new URL(
        'allocation/compute',
        this.options.url.endsWith('/')
          ? this.options.url
          : `${this.options.url}/`,
      );
      url.search = new URLSearchParams({
        window: this.options.window,
        aggregate: APP_LABEL,
        accumulate: 'true',
      }).toString();
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      return allocationSchema.parse(await response.json());
    });
  }

  async estimate(
    pipeline: PipelineEntity,
    application?: SparkApplicationInfo,
  ): Promise<CostEstimate> {
    const rates = await this.fallback.estimate(pipeline, application);
    const appName =
      application?.name ??
      pipeline.sparkApplication?.name ??
      pipeline.summary.name;
    try {
      const parsed = await this.fetchAllocations();
      const allocation = parsed.data
        .map(set => set[appName])
        .find(a => a !== undefined && a.minutes > 0);
      if (!allocation) {
        return {
          ...rates,
          errors: [
            ...rates.errors,
            {
              source: 'opencost',
              message: `No allocation for ${appName}; using the rates`,
            },
          ],
        };
      }
      const perHour = allocation.totalCost / (allocation.minutes / 60);
      const ratesTotal = rates.driverPerHour + rates.executorsPerHour;
      const driverShare = ratesTotal > 0 ? rates.driverPerHour / ratesTotal : 0;
      return {
        source: 'opencost',
        driverPerHour: perHour * driverShare,
        executorsPerHour: perHour * (1 - driverShare),
        resources: rates.resources,
        errors: [],
      };
    } catch (error) {
      return {
        ...rates,
        errors: [
          ...rates.errors,
          {
            source: 'opencost',
            message: `${(error as Error).message}; using the rates`,
          },
        ],
      };
    }
  }
}
