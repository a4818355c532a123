// The clients of httpLoad.ts: autocannon in a process of its own, so that the
// server's event loop serves requests only and the clients' CPU and memory are
// not the server's. Each client is one keep-alive connection accepting gzip, as
// a browser's, taking the URLs in turn (shared by all clients); with
// `revalidate`, a request also sends the last ETag answered for its URL in
// If-None-Match, as a browser's cache does. Sends `authorization` (a signed-in
// user's header) with every request. Takes the options of one run after
// another (one process for all runs, so its code is compiled once, by the
// first) and answers each, on the IPC channel, with every latency (ms), the
// time from the first request to the last answer (ms) and the number of 304
// answers, or the first unexpected status.
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';

process.on('message', options => {
  const { urls, clients, requestsPerClient, revalidate, authorization } =
    options;
  const amount = clients * requestsPerClient;
  const paths = urls.map(url => {
    const { pathname, search } = new URL(url);
    return pathname + search;
  });
  const headers = { 'accept-encoding': 'gzip' };
  if (authorization) headers.authorization = authorization;

  // autocannon clears a client's context after each pass over its requests
  // (one here), so the ETags are kept by URL for all clients.
  const etags = new Map();
  let next = 0;
  let first;
  const request = {
    setupRequest(req, context) {
      first ??= performance.now();
      const path = paths[next++ % paths.length];
      context.path = path;
      const etag = revalidate ? etags.get(path) : undefined;
      return {
        ...req,
        path,
        headers: etag ? { ...req.headers, 'if-none-match': etag } : req.headers,
      };
    },
  };
  if (revalidate) {
    // Only with `revalidate`: reading the headers makes autocannon keep bodies.
    request.onResponse = (_status, _body, context, responseHeaders) => {
      for (const [name, value] of Object.entries(responseHeaders)) {
        if (name.toLowerCase() === 'etag') etags.set(context.path, value);
      }
    };
  }

  const latencies = [];
  let last;
  let notModified = 0;
  let unexpected;
  const instance = autocannon(
    {
      url: new URL(urls[0]).origin,
      connections: clients,
      amount,
      headers,
      requests: [request],
    },
    error => {
      if (error) process.send({ error: String(error) });
      else if (unexpected) process.send({ error: unexpected });
      else if (latencies.length < amount) {
        process.send({
          error: `${latencies.length} of ${amount} requests answered`,
        });
      } else {
        process.send({ latencies, elapsed: last - first, notModified });
      }
    },
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    last = performance.now();
    latencies.push(responseTime);
    if (statusCode === 304 && revalidate) notModified += 1;
    else if (statusCode !== 200 && !unexpected) {
      unexpected = `a request answered ${statusCode}`;
    }
  });
});
