// The clients of httpLoad.ts, in a thread of their own so that the server's
// event loop serves requests only. Each client is one keep-alive connection
// accepting gzip, as a browser's; with `revalidate`, it also sends the ETag
// of its last answer of a URL in If-None-Match, as a browser's cache does.
// Sends `authorization` (a signed-in user's header) with every request.
// Posts every latency (ms) and the number of 304 answers when done.
import http from 'node:http';
import { promisify } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import zlib from 'node:zlib';

const { urls, clients, requestsPerClient, revalidate, authorization } =
  workerData;
const gunzip = promisify(zlib.gunzip);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });

let notModified = 0;

function get(url, etags) {
  return new Promise((resolve, reject) => {
    const headers = { 'accept-encoding': 'gzip' };
    if (authorization) headers.authorization = authorization;
    if (revalidate && etags.has(url)) headers['if-none-match'] = etags.get(url);
    const req = http.get(url, { agent, headers }, res => {
      const chunks = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.headers.etag) etags.set(url, res.headers.etag);
        if (res.statusCode === 304 && headers['if-none-match']) {
          notModified += 1;
          resolve(body);
        } else if (res.statusCode !== 200) {
          reject(new Error(`${url} answered ${res.statusCode}`));
        } else if (res.headers['content-encoding'] === 'gzip') {
          gunzip(body).then(resolve, reject);
        } else {
          resolve(body);
        }
      });
    });
    req.on('error', reject);
  });
}

let next = 0;
const latencies = [];
await Promise.all(
  Array.from({ length: clients }, async () => {
    const etags = new Map();
    for (let i = 0; i < requestsPerClient; i++) {
      const url = urls[next++ % urls.length];
      const started = performance.now();
      await get(url, etags);
      latencies.push(performance.now() - started);
    }
  }),
);
agent.destroy();
parentPort.postMessage({ latencies, notModified });
