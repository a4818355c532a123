import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { z } from 'zod';
import { formatZodIssues } from '@internal/plugin-streaming-common';

const prometheusConfigSchema = z.object({
  enabled: z.boolean().default(true),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(9464),
  endpoint: z
    .string()
    .regex(/^\/[A-Za-z0-9._~/-]*$/, 'expected a path such as /metrics')
    .default('/metrics'),
});

/**
 * The Prometheus endpoint of the backend's OpenTelemetry metrics.
 *
 * @public
 */
export interface PrometheusExporterService {
  /** Where Prometheus scrapes, e.g. `http://127.0.0.1:9464/metrics`; undefined when disabled. */
  readonly url?: string;
}

/**
 * @public
 */
export const prometheusExporterServiceRef =
  createServiceRef<PrometheusExporterService>({
    id: 'streaming.prometheus-exporter',
    scope: 'root',
  });

/**
 * Serves every OpenTelemetry metric of the backend (the streaming pipeline
 * gauges among them) in Prometheus format on a port of its own
 * (`streaming.prometheus`, default `127.0.0.1:9464/metrics`). A root service
 * that starts with the backend, before the plugins create their meters;
 * registered in `packages/backend` with `backend.add(...)`.
 *
 * @public
 */
export const prometheusExporterServiceFactory = createServiceFactory({
  service: prometheusExporterServiceRef,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
    lifecycle: coreServices.rootLifecycle,
  },
  async factory({ config, logger, lifecycle }) {
    const parsed = prometheusConfigSchema.safeParse(
      config.getOptional('streaming.prometheus') ?? {},
    );
    if (!parsed.success) {
      throw new Error(
        `Invalid streaming.prometheus config: ${formatZodIssues(
          parsed.error.issues,
          { root: 'streaming.prometheus' },
        )}`,
      );
    }
    const { enabled, host, port, endpoint } = parsed.data;
    if (!enabled) return {};
    const exporter = new PrometheusExporter({
      host,
      port,
      endpoint,
      preventServerStart: true,
    });
    const provider = new MeterProvider({ readers: [exporter] });
    if (!metrics.setGlobalMeterProvider(provider)) {
      logger.warn(
        'Another OpenTelemetry meter provider is registered; the Prometheus endpoint stays off',
      );
      return {};
    }
    lifecycle.addShutdownHook(() => provider.shutdown());
    const url = `http://${
      host.includes(':') ? `[${host}]` : host
    }:${port}${endpoint}`;
    try {
      await exporter.startServer();
      logger.info('Serving metrics in Prometheus format', { url });
    } catch (error) {
      // A second backend on the same machine must still start.
      logger.warn(
        'Could not serve metrics in Prometheus format (streaming.prometheus.port)',
        { url, error: (error as Error).message },
      );
      return {};
    }
    return { url };
  },
});
