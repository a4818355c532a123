import { wrapServer } from '@backstage/backend-openapi-utils/testUtils';
import { mockCredentials } from '@backstage/backend-test-utils';
import express from 'express';
import { Server } from 'node:http';

/**
 * A test backend's server behind the OpenAPI proxy of
 * `@backstage/backend-openapi-utils`: every request sent through the returned
 * server, and every answer to it, is checked against the plugin's
 * `openapi.yaml`, and a mismatch fails the test.
 *
 * The proxy reads the document from `/openapi.json` of the server it wraps;
 * the backend serves it, to callers with credentials, at
 * `/api/streaming/openapi.json` with the paths under `/api/streaming` as the
 * requests are.
 */
export async function openApiTestServer(backendServer: Server) {
  const [backend] = backendServer.listeners('request') as Array<
    (req: express.Request, res: express.Response) => void
  >;
  const app = express();
  app.get('/openapi.json', (req, res) => {
    req.url = req.originalUrl = '/api/streaming/openapi.json';
    req.headers.authorization = mockCredentials.service.header();
    backend(req, res);
  });
  app.use((req, res) => backend(req, res));
  // The proxy forwards to `localhost`, over IPv6 when ::1 answers; listening
  // on 127.0.0.1 only works whether or not the hosts file names ::1 localhost.
  const listen = app.listen.bind(app);
  app.listen = ((port: number) => listen(port, '127.0.0.1')) as typeof listen;
  return wrapServer(app);
}
