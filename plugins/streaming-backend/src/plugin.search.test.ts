import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ELASTICSEARCH_CLUSTER,
  ANNOTATION_ELASTICSEARCH_INDEX,
  ANNOTATION_ELASTICSEARCH_NODES,
  SearchIndexDetailsResponse,
} from '@internal/plugin-streaming-common';
import {
  TestOpenSearch,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { streamingPlugin } from './plugin';
import { openApiTestServer } from './__testUtils__/openApiTestServer';
import {
  catalogFactory,
  NO_TOPICS_USER,
  OUTSIDER,
  permissionsFactory,
} from './__testUtils__/testEntities';

jest.setTimeout(180_000);

const ALICE = mockCredentials.user.header('user:default/alice');
const DOCUMENTS = 7;

/**
 * An `elasticsearch-index` Resource as the catalog module emits it: on node
 * URLs, or on a search cluster by name (`{ cluster }`).
 */
function indexEntity(
  name: string,
  index: string,
  target?: string | { cluster: string },
): Entity {
  let annotation = {};
  if (typeof target === 'string') {
    annotation = { [ANNOTATION_ELASTICSEARCH_NODES]: target };
  } else if (target) {
    annotation = { [ANNOTATION_ELASTICSEARCH_CLUSTER]: target.cluster };
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        [ANNOTATION_ELASTICSEARCH_INDEX]: index,
        ...annotation,
      },
    },
    spec: { type: 'elasticsearch-index', owner: 'group:default/team-sre' },
  };
}

describe('search index statistics from the real OpenSearch', () => {
  let search: TestOpenSearch;
  let index: string;
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;
  /** A loopback server standing for an unconfigured cluster: counts what reaches it. */
  let elsewhere: Server;
  let elsewhereUrl: string;
  let elsewhereRequests = 0;

  beforeAll(async () => {
    elsewhere = createServer((_req, res) => {
      elsewhereRequests += 1;
      res.end('[]');
    });
    await new Promise<void>(resolve =>
      elsewhere.listen(0, '127.0.0.1', resolve),
    );
    elsewhereUrl = `http://127.0.0.1:${
      (elsewhere.address() as AddressInfo).port
    }`;
    search = await TestOpenSearch.start();
    index = uniqueName('index-stats');
    await search.request('PUT', `/${index}`, {
      settings: { number_of_shards: 2, number_of_replicas: 0 },
    });
    const bulk = Array.from({ length: DOCUMENTS }, (_, i) =>
      [
        JSON.stringify({ index: { _index: index, _id: `doc-${i}` } }),
        JSON.stringify({ level: 'ERROR', message: `line ${i}` }),
      ].join('\n'),
    );
    const response = await fetch(`${search.url}/_bulk?refresh=true`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-ndjson' },
      body: `${bulk.join('\n')}\n`,
    });
    const indexed = await response.json();
    if (indexed.errors !== false) {
      throw new Error(`Bulk indexing failed: ${JSON.stringify(indexed)}`);
    }

    const backend = await startTestBackend({
      features: [
        streamingPlugin,
        mockServices.rootConfig.factory({
          data: {
            streaming: {
              kafka: { clusters: [] },
              search: {
                statsCacheTtl: { minutes: 10 },
                requestTimeout: '2s',
                clusters: [
                  // The node as a pipeline spec may write it, with a trailing slash.
                  { name: 'local-search', nodes: [`${search.url}/`] },
                  // Nothing listens on port 1.
                  { name: 'down', nodes: ['http://127.0.0.1:1'] },
                  // A first node that does not answer, then OpenSearch.
                  {
                    name: 'failover',
                    nodes: ['http://127.0.0.1:2', search.url],
                    indices: ['index-stats-*', 'logs-2026.*'],
                  },
                ],
              },
            },
          },
        }),
        catalogFactory([
          indexEntity('app-logs', index, search.url),
          indexEntity('elsewhere', index, elsewhereUrl),
          indexEntity('mixed', index, `${search.url},${elsewhereUrl}`),
          indexEntity('on-down-cluster', index, 'http://127.0.0.1:1'),
          indexEntity('failover', index, 'http://127.0.0.1:2'),
          indexEntity('missing', 'no-such-index-f17', search.url),
          indexEntity('not-listed', 'other-logs', 'http://127.0.0.1:2'),
          indexEntity('pattern-dot', 'logs-2026x11', 'http://127.0.0.1:2'),
          indexEntity('no-nodes', index),
          indexEntity('by-name', index, { cluster: 'failover' }),
          indexEntity('by-name-not-listed', 'other-logs', {
            cluster: 'failover',
          }),
          indexEntity('unknown-cluster', index, { cluster: 'logs-eu' }),
        ]),
        permissionsFactory(),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    server = await openApiTestServer(backend.server);
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    elsewhere?.close();
    await search?.deleteIndex(index);
  });

  const get = (url: string, auth: string = ALICE) =>
    request(server).get(`/api/streaming${url}`).set('Authorization', auth);

  it('answers the document count, size, shards and health of the index on its configured cluster', async () => {
    const res = await get('/indices/default/app-logs');
    expect(res.status).toBe(200);
    const body = res.body as SearchIndexDetailsResponse;
    expect(body).toMatchObject({
      entityRef: 'resource:default/app-logs',
      cluster: 'local-search',
      index,
      documents: DOCUMENTS,
      primaryShards: 2,
      replicaShards: 0,
      // No replicas to assign: green on a single node.
      health: 'green',
    });
    expect(body.sizeBytes).toBeGreaterThan(0);
  });

  it('reuses an answer for streaming.search.statsCacheTtl', async () => {
    const first = (await get('/indices/default/app-logs')).body;
    await search.request('PUT', `/${index}/_doc/late?refresh=true`, {
      level: 'WARN',
    });
    const second = (await get('/indices/default/app-logs')).body;
    expect(second.documents).toBe(first.documents);
    expect(second.observedAt).toBe(first.observedAt);
  });

  it('refuses an index whose nodes are not all those of a configured cluster, without requesting them', async () => {
    for (const name of ['elsewhere', 'mixed']) {
      const res = await get(`/indices/default/${name}`);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        'not a search cluster configured in streaming.search.clusters (configured: local-search, down, failover)',
      );
    }
    expect(elsewhereRequests).toBe(0);
  });

  it("refuses an index outside its cluster's indices patterns", async () => {
    // The failover cluster lists index-stats-* and logs-2026.*: a catalog
    // author naming another of its indices gets nothing; the dot of a
    // pattern is a dot, not any character.
    for (const [name, other] of [
      ['not-listed', 'other-logs'],
      ['pattern-dot', 'logs-2026x11'],
    ]) {
      const res = await get(`/indices/default/${name}`);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        `resource:default/${name} names index ${other}, which is not among the indices of search cluster failover (streaming.search.clusters[failover].indices)`,
      );
    }
  });

  it('answers 503 with a plain message when the cluster does not answer', async () => {
    const res = await get('/indices/default/on-down-cluster');
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe(
      'Search cluster down did not answer (1 node(s), streaming.search.requestTimeout 2000 ms)',
    );
  });

  it('asks the next node of a cluster when one does not answer', async () => {
    const res = await get('/indices/default/failover');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cluster: 'failover', index });
    expect(res.body.documents).toBeGreaterThanOrEqual(DOCUMENTS);
  });

  it('reads the index from the search cluster the entity names', async () => {
    // The failover cluster: its first node does not answer, OpenSearch does.
    const res = await get('/indices/default/by-name');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'resource:default/by-name',
      cluster: 'failover',
      index,
    });
    expect(res.body.documents).toBeGreaterThanOrEqual(DOCUMENTS);
    const notListed = await get('/indices/default/by-name-not-listed');
    expect(notListed.status).toBe(403);
    expect(notListed.body.error.message).toBe(
      'resource:default/by-name-not-listed names index other-logs, which is not among the indices of search cluster failover (streaming.search.clusters[failover].indices)',
    );
  });

  it('answers 404 naming streaming.search.clusters for a search cluster it does not have', async () => {
    const res = await get('/indices/default/unknown-cluster');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'resource:default/unknown-cluster is written to search cluster logs-eu, which is not configured in streaming.search.clusters (configured: local-search, down, failover)',
    );
  });

  it('answers 404 for an index that does not exist and an entity without the annotations', async () => {
    const missing = await get('/indices/default/missing');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      'No index no-such-index-f17 on search cluster local-search',
    );
    const bare = await get('/indices/default/no-nodes');
    expect(bare.status).toBe(404);
    expect(bare.body.error.message).toBe(
      `resource:default/no-nodes needs the ${ANNOTATION_ELASTICSEARCH_INDEX} annotation and ${ANNOTATION_ELASTICSEARCH_CLUSTER} or ${ANNOTATION_ELASTICSEARCH_NODES}`,
    );
  });

  it('checks credentials and catalog visibility of the index entity', async () => {
    expect(
      (await request(server).get('/api/streaming/indices/default/app-logs'))
        .status,
    ).toBe(401);
    expect(
      (
        await get(
          '/indices/default/app-logs',
          mockCredentials.user.header(OUTSIDER),
        )
      ).status,
    ).toBe(404);
  });

  it('lists the names of the search clusters for the Create form, never their nodes', async () => {
    const res = await get('/search/clusters');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      clusters: [
        { name: 'local-search' },
        { name: 'down' },
        { name: 'failover' },
      ],
    });

    const denied = await get(
      '/search/clusters',
      mockCredentials.user.header(NO_TOPICS_USER),
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'Not allowed to list the search clusters (streaming.topic.list)',
    );
    expect(
      (await request(server).get('/api/streaming/search/clusters')).status,
    ).toBe(401);
    expect(
      (await get('/search/clusters', mockCredentials.service.header())).status,
    ).toBe(403);
  });
});
