// Waits until a Kafka broker answers a metadata request (a real client round trip).
// Usage: node kafka-ready.js HOST:PORT [--timeout SECONDS]
// Exits 0 when the broker lists itself in the cluster metadata, 1 on time-out.
const { Kafka, logLevel } = require('kafkajs');

const args = process.argv.slice(2);
const t = args.indexOf('--timeout');
const timeoutMs = (t >= 0 ? Number(args.splice(t, 2)[1]) : 60) * 1000;
const broker = args[0];
if (!broker) {
  console.error('usage: kafka-ready.js HOST:PORT [--timeout SECONDS]');
  process.exit(2);
}

async function ready() {
  const admin = new Kafka({
    clientId: 'kafka-ready',
    brokers: [broker],
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

(async () => {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) {
      console.error(`timed out waiting for Kafka at ${broker}`);
      process.exit(1);
    }
    await new Promise(r => setTimeout(r, 500));
  }
})();
