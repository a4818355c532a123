import { CRON_MACROS, PipelineSpec } from '@internal/plugin-streaming-common';
import { pyStr } from '../python/pyLiteral';
import { ResolvedRenderOptions } from '../RenderOptions';
import type { DeployEnvironment } from './deployEnvironments';
import { pipelineLabels } from './labels';
import {
  IMAGE_APP_DIR,
  sparkConfForKubernetes,
} from './renderSparkApplication';

/** Suffix of the maintenance application's name (see MAX_PIPELINE_NAME_LENGTH). */
export const MAINTENANCE_SUFFIX = '-maint';

/**
 * The maintenance settings of a Delta sink, with defaults; undefined when
 * the sink is not Delta or maintenance is off.
 */
export function maintenancePlan(spec: PipelineSpec) {
  const { sink } = spec.pipeline;
  if (sink.type !== 'delta' || sink.maintenance?.enabled === false) {
    return undefined;
  }
  return {
    path: sink.path,
    schedule: sink.maintenance?.schedule ?? '0 3 * * 0',
    retentionHours: sink.maintenance?.vacuum_retention_hours ?? 168,
    zorderBy: sink.zorder_by ?? sink.merge_keys ?? [],
  };
}

/**
 * `job/maintenance.py`: OPTIMIZE (Z-ORDER by the spec's keys) and VACUUM
 * through the Delta Python API.
 */
export function renderMaintenanceJob(spec: PipelineSpec): string | undefined {
  const plan = maintenancePlan(spec);
  if (!plan) {
    return undefined;
  }
  return `# Generated from pipeline.yaml by the streaming platform.
"""Weekly maintenance of the pipeline's Delta table: OPTIMIZE (Z-ORDER) and VACUUM."""

import logging
import os
import sys

from delta.tables import DeltaTable
from pyspark.sql import SparkSession

PIPELINE_NAME = ${pyStr(spec.pipeline.name)}
TABLE_PATH = os.environ.get("PIPELINE_SINK_PATH") or ${pyStr(plan.path)}
ZORDER_BY = [${plan.zorderBy.map(pyStr).join(', ')}]
RETENTION_HOURS = float(os.environ.get("PIPELINE_VACUUM_RETENTION_HOURS") or ${
    plan.retentionHours
  })
LOG = logging.getLogger(PIPELINE_NAME + "-maintenance")


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    spark = (
        SparkSession.builder.appName(PIPELINE_NAME + "-maintenance")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate()
    )
    if not DeltaTable.isDeltaTable(spark, TABLE_PATH):
        LOG.info("no Delta table yet at the sink path: nothing to do")
        spark.stop()
        return 0
    table = DeltaTable.forPath(spark, TABLE_PATH)
    optimize = table.optimize()
    metrics = optimize.executeZOrderBy(*ZORDER_BY) if ZORDER_BY else optimize.executeCompaction()
    LOG.info("optimized: %s", metrics.collect()[0].asDict(recursive=True))
    table.vacuum(RETENTION_HOURS)
    LOG.info("vacuumed files older than %s hours", RETENTION_HOURS)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;
}

/**
 * The `ScheduledSparkApplication` that runs the maintenance job on the
 * spec's schedule (weekly by default). In an environment, `spec` and
 * `options` are the environment's, and its driver gets the environment's
 * variables (PIPELINE_SINK_PATH among them when its table is another).
 *
 * @public
 */
export function maintenanceApplication(
  spec: PipelineSpec,
  options: ResolvedRenderOptions,
  environment?: Pick<DeployEnvironment, 'name' | 'env'>,
): Record<string, unknown> | undefined {
  const plan = maintenancePlan(spec);
  if (!plan) {
    return undefined;
  }
  const labels = pipelineLabels(spec, 'table-maintenance', environment?.name);
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'ScheduledSparkApplication',
    metadata: {
      name: `${spec.pipeline.name}${MAINTENANCE_SUFFIX}`,
      namespace: options.namespace,
      labels,
    },
    spec: {
      schedule: Object.hasOwn(CRON_MACROS, plan.schedule)
        ? CRON_MACROS[plan.schedule]
        : plan.schedule,
      timeZone: 'UTC',
      concurrencyPolicy: 'Forbid',
      successfulRunHistoryLimit: 3,
      failedRunHistoryLimit: 3,
      template: {
        type: 'Python',
        pythonVersion: '3',
        mode: 'cluster',
        image: options.image,
        imagePullPolicy: 'IfNotPresent',
        mainApplicationFile: `local://${IMAGE_APP_DIR}/job/maintenance.py`,
        sparkVersion: options.sparkVersion,
        restartPolicy: { type: 'Never' },
        sparkConf: sparkConfForKubernetes(spec),
        driver: {
          cores: 1,
          memory: '2g',
          serviceAccount: options.serviceAccount,
          labels,
          ...(environment ? { env: environment.env } : {}),
        },
        executor: { cores: 2, instances: 2, memory: '4g', labels },
      },
    },
  };
}
