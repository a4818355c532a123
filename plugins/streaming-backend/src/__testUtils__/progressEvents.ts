/**
 * A `StreamingQueryProgress` as Spark 3.5/4.0 serialises it for a Kafka to
 * Delta query (same fields and nesting as `query.lastProgress`).
 */
export function progressEvent(options: {
  name: string;
  batchId: number;
  timestamp: Date;
  topic?: string;
  endOffsets?: Record<number, number>;
  startOffsets?: Record<number, number>;
  numInputRows?: number;
  runId?: string;
  triggerMs?: number;
}): Record<string, unknown> {
  const topic = options.topic ?? 'user-events';
  const end = options.endOffsets ?? { 0: 100 };
  const start = options.startOffsets ?? end;
  const rows = options.numInputRows ?? 100;
  const asSpark = (offsets: Record<number, number>) => ({
    [topic]: Object.fromEntries(
      Object.entries(offsets).map(([p, o]) => [String(p), o]),
    ),
  });
  return {
    id: '6a1f0c3e-3f0b-4a57-9d7e-2f0e6f8b9c11',
    runId: options.runId ?? 'c1f5b3a2-8d7e-4f61-a0b9-1e2d3c4b5a69',
    name: options.name,
    timestamp: options.timestamp.toISOString().replace('Z', '+00:00'),
    batchId: options.batchId,
    batchDuration: options.triggerMs ?? 850,
    numInputRows: rows,
    inputRowsPerSecond: rows / 5,
    processedRowsPerSecond: rows / ((options.triggerMs ?? 850) / 1000),
    durationMs: {
      addBatch: 610,
      commitOffsets: 21,
      getBatch: 0,
      latestOffset: 3,
      queryPlanning: 14,
      triggerExecution: options.triggerMs ?? 850,
      walCommit: 25,
    },
    eventTime: {
      avg: '2026-11-23T19:59:40.512Z',
      max: '2026-11-23T19:59:59.998Z',
      min: '2026-11-23T19:59:20.001Z',
      watermark: '2026-11-23T19:49:59.998Z',
    },
    stateOperators: [
      {
        operatorName: 'stateStoreSave',
        numRowsTotal: 42,
        numRowsUpdated: 7,
        allUpdatesTimeMs: 31,
        numRowsRemoved: 0,
        allRemovalsTimeMs: 0,
        commitTimeMs: 120,
        memoryUsedBytes: 90312,
        numRowsDroppedByWatermark: 0,
        numShufflePartitions: 200,
        numStateStoreInstances: 200,
        customMetrics: { loadedMapCacheHitCount: 0 },
      },
    ],
    sources: [
      {
        description: `KafkaV2[Subscribe[${topic}]]`,
        startOffset: asSpark(start),
        endOffset: asSpark(end),
        latestOffset: asSpark(end),
        numInputRows: rows,
        inputRowsPerSecond: rows / 5,
        processedRowsPerSecond: rows / ((options.triggerMs ?? 850) / 1000),
        metrics: {
          avgOffsetsBehindLatest: '0.0',
          maxOffsetsBehindLatest: '0',
          minOffsetsBehindLatest: '0',
        },
      },
    ],
    sink: {
      description: 'DeltaSink[/data/delta/user_events_agg]',
      numOutputRows: -1,
    },
  };
}
