import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { SearchClusters } from './SearchClusters';

const logger = mockServices.logger.mock();
const fromConfig = (clusters: JsonObject[]) =>
  SearchClusters.fromConfig(
    new ConfigReader({ streaming: { search: { clusters } } }),
    { logger },
  );

describe('SearchClusters', () => {
  const clusters = fromConfig([
    { name: 'logs', nodes: ['http://es-1:9200/', 'http://es-2:9200'] },
    { name: 'proxied', nodes: ['https://gateway.example.com/search'] },
  ]);

  it('finds the configured cluster listing every node of a spec, however the URLs end', () => {
    expect(clusters.clusterForNodes('http://es-1:9200')).toBe('logs');
    expect(clusters.clusterForNodes('http://es-2:9200/,http://es-1:9200')).toBe(
      'logs',
    );
    expect(
      clusters.clusterForNodes('https://gateway.example.com/search/'),
    ).toBe('proxied');
  });

  it('finds none for a node no cluster lists, a mix of clusters, or what is not a plain http(s) URL', () => {
    for (const nodes of [
      'http://es-3:9200',
      'http://es-1:9200,http://es-3:9200',
      'http://es-1:9200,https://gateway.example.com/search',
      'http://user:secret@es-1:9200',
      'http://es-1:9200/?x=1',
      'https://gateway.example.com',
      'file:///etc/passwd',
      '',
    ]) {
      expect(clusters.clusterForNodes(nodes)).toBeUndefined();
    }
  });

  it('refuses node URLs with credentials at startup, naming the key but not the password', () => {
    expect(() =>
      fromConfig([
        {
          name: 'bad',
          nodes: ['http://es:9200', 'http://elastic:s3cret@es:9200'],
        },
      ]),
    ).toThrow(
      'streaming.search.clusters[bad].nodes[1] is not an http(s) URL without credentials, query or fragment (use username and password)',
    );
  });

  it('names the configured clusters for an unknown one', () => {
    expect(() => clusters.get('prod')).toThrow(
      "unknown search cluster 'prod': configured in streaming.search.clusters are logs, proxied",
    );
  });
});
