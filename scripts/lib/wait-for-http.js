// Waits until every URL answers with a status below 500.
// Usage: node wait-for-http.js URL... [--timeout SECONDS]
const args = process.argv.slice(2);
const t = args.indexOf('--timeout');
const timeoutMs = (t >= 0 ? Number(args.splice(t, 2)[1]) : 300) * 1000;
const deadline = Date.now() + timeoutMs;

async function ready(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

(async () => {
  for (const url of args) {
    while (!(await ready(url))) {
      if (Date.now() > deadline) {
        console.error(`timed out waiting for ${url}`);
        process.exit(1);
      }
      await new Promise(r => setTimeout(r, 1000));
    }
  }
})();
