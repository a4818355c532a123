// Whether a Kafka broker answers a metadata request (a real client round trip), asked
// once: scripts/kafka.sh polls it through daemon_wait (scripts/lib/daemon.sh).
// Usage: node kafka-ready.js HOST:PORT
// Exits 0 when the broker lists itself and a controller in the cluster metadata, else 1.
const { Kafka, logLevel } = require('kafkajs');

const broker = process.argv[2];
if (!broker) {
  console.error('usage: kafka-ready.js HOST:PORT');
  process.exit(2);
}

(async () => {
  const admin = new Kafka({
    clientId: 'kafka-ready',
    brokers: [broker],
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  let ready = false;
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    ready = cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    // not answering (yet)
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  process.exit(ready ? 0 : 1);
})();
