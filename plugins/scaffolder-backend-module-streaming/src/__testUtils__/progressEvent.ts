/**
 * A micro-batch of the query `queryName` as Spark reports it on the progress
 * topic: the records of partition 0 of `topic` from offset 0 up to `end`.
 */
export function progressEvent(queryName: string, topic: string, end: number) {
  const offsets = (offset: number) => ({ [topic]: { '0': offset } });
  return {
    id: '6a1f0c3e-3f0b-4a57-9d7e-2f0e6f8b9c11',
    runId: 'c1f5b3a2-8d7e-4f61-a0b9-1e2d3c4b5a69',
    name: queryName,
    timestamp: new Date().toISOString(),
    batchId: 0,
    numInputRows: end,
    inputRowsPerSecond: end / 5,
    processedRowsPerSecond: end,
    durationMs: { addBatch: 610, triggerExecution: 850 },
    sources: [
      {
        description: `KafkaV2[Subscribe[${topic}]]`,
        startOffset: offsets(0),
        endOffset: offsets(end),
        latestOffset: offsets(end),
        numInputRows: end,
        inputRowsPerSecond: end / 5,
        processedRowsPerSecond: end,
      },
    ],
    sink: { description: 'DeltaSink[/data/delta/orders]', numOutputRows: -1 },
  };
}
