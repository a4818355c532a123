import { JsonObject } from '@backstage/types';

const resources = {
  driver: { cores: 1, memory: '2g' },
  executor: { cores: 2, memory: '4g', instances: 2, max_instances: 4 },
};

const alerts = {
  alertOnLag: 60,
  alertOnLagMessages: 10000,
  alertChannel: 'slack',
};

/**
 * Form values a user could submit for each template, given a unique
 * suffix for the names of the pipeline and its topics.
 */
export const templateValues: Record<string, (suffix: string) => JsonObject> = {
  'kafka-to-delta': suffix => ({
    name: `orders-${suffix}`,
    description: 'Paid orders per country',
    owner: 'group:default/team-commerce',
    kafkaCluster: 'local',
    topic: `orders.${suffix}`,
    format: 'json',
    // The Schema field (PipelineFieldsEditor): fields, copied or typed.
    sourceSchema: {
      fields: [
        { name: 'order_id', type: 'string' },
        { name: 'country', type: 'string' },
        { name: 'status', type: 'string' },
        { name: 'total', type: 'double' },
        { name: 'created_at', type: 'timestamp' },
      ],
    },
    startingOffsets: 'earliest',
    createTopic: true,
    partitions: 2,
    retentionHours: 24,
    transformations: [
      { type: 'filter', condition: "status = 'paid'" },
      { type: 'watermark', column: 'created_at', delay: '10 minutes' },
      {
        type: 'aggregate',
        window: '5 minutes',
        group_by: ['country'],
        metrics: [{ count: 'orders' }, { 'sum(total)': 'revenue' }],
      },
    ],
    tablePath: `/data/delta/orders_${suffix}`,
    mode: 'append',
    trigger: '5 seconds',
    resources,
    ...alerts,
    kubernetesCluster: '',
    publishTo: 'local',
  }),
  'debezium-cdc-to-delta': suffix => ({
    name: `users-cdc-${suffix}`,
    owner: 'group:default/team-accounts',
    kafkaCluster: 'local',
    topic: `dbserver1.public.users_${suffix}`,
    database: 'accounts',
    table: 'public.users',
    key: ['id'],
    fields: [
      { name: 'id', type: 'long' },
      { name: 'email', type: 'string' },
      { name: 'country', type: 'string' },
      { name: 'updated_at', type: 'timestamp' },
    ],
    deletes: 'delete',
    startingOffsets: 'earliest',
    createTopic: true,
    partitions: 1,
    retentionHours: 168,
    transformations: [
      { type: 'select', columns: ['id', 'email', 'country', 'updated_at'] },
    ],
    tablePath: `/data/delta/users_cdc_${suffix}`,
    trigger: '2 seconds',
    resources,
    ...alerts,
    publishTo: 'local',
  }),
  'kafka-to-elasticsearch': suffix => ({
    name: `app-logs-${suffix}`,
    owner: 'group:default/team-sre',
    kafkaCluster: 'local',
    topic: `app-logs.${suffix}`,
    format: 'json',
    // The Schema field (PipelineFieldsEditor): fields, copied or typed.
    sourceSchema: {
      fields: [
        { name: 'service', type: 'string' },
        { name: 'level', type: 'string' },
        { name: 'message', type: 'string' },
        { name: 'trace_id', type: 'string' },
        { name: 'ts', type: 'timestamp' },
      ],
    },
    startingOffsets: 'latest',
    createTopic: true,
    partitions: 3,
    retentionHours: 72,
    transformations: [
      { type: 'filter', condition: "level IN ('WARN', 'ERROR', 'FATAL')" },
    ],
    index: `app-logs-errors-${suffix}`,
    searchCluster: 'local',
    idColumn: 'trace_id',
    writeOperation: 'index',
    trigger: '5 seconds',
    resources,
    ...alerts,
    publishTo: 'local',
  }),
  'delta-to-delta': suffix => ({
    name: `orders-silver-${suffix}`,
    owner: 'group:default/team-commerce',
    sourcePath: '/data/delta/bronze/orders',
    maxFilesPerTrigger: 50,
    transformations: [{ type: 'filter', condition: 'amount IS NOT NULL' }],
    tablePath: `/data/delta/silver/orders_${suffix}`,
    mode: 'merge',
    mergeKeys: ['order_id'],
    trigger: '1 minute',
    resources,
    ...alerts,
    publishTo: 'local',
  }),
};
