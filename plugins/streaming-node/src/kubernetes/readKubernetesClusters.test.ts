import { ConfigReader } from '@backstage/config';
import { readKubernetesClusterConfigs } from './readKubernetesClusters';

const config = (clusters: object[], streaming?: object[]) =>
  new ConfigReader({
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        { type: 'catalog' },
        { type: 'config', clusters },
      ],
    },
    ...(streaming
      ? { streaming: { kubernetes: { clusters: streaming } } }
      : {}),
  });

describe('readKubernetesClusterConfigs', () => {
  it("reads the Kubernetes plugin's config clusters with their streaming settings", () => {
    expect(
      readKubernetesClusterConfigs(
        config(
          [
            {
              name: 'prod',
              url: 'https://k8s.internal:6443',
              authProvider: 'serviceAccount',
              serviceAccountToken: 'token',
              caData: 'Y2E=',
              skipMetricsLookup: true,
            },
            {
              name: 'dev',
              url: 'http://127.0.0.1:8001',
              authProvider: 'serviceAccount',
            },
          ],
          [{ name: 'prod', defaultNamespace: 'streaming' }],
        ),
      ),
    ).toEqual([
      {
        name: 'prod',
        url: 'https://k8s.internal:6443',
        serviceAccountToken: 'token',
        caData: 'Y2E=',
        skipTLSVerify: false,
        defaultNamespace: 'streaming',
      },
      {
        name: 'dev',
        url: 'http://127.0.0.1:8001',
        skipTLSVerify: false,
        defaultNamespace: 'default',
      },
    ]);
  });

  it('means no clusters without a config locator', () => {
    expect(readKubernetesClusterConfigs(new ConfigReader({}))).toEqual([]);
  });

  it('leaves out clusters signed in as the user: the backend has no credentials for them', () => {
    expect(
      readKubernetesClusterConfigs(
        config([
          { name: 'gke', url: 'https://gke.example', authProvider: 'google' },
        ]),
      ),
    ).toEqual([]);
  });

  it('refuses a URL that is not http(s), naming the key and not the token', () => {
    const read = () =>
      readKubernetesClusterConfigs(
        config([
          {
            name: 'k',
            url: 'file:///etc/passwd',
            authProvider: 'serviceAccount',
            serviceAccountToken: 's3cr3t',
          },
        ]),
      );
    expect(read).toThrow(
      /kubernetes\.clusterLocatorMethods\[1\]\.clusters\[0\]\.url/,
    );
    expect(read).not.toThrow(/s3cr3t/);
  });

  it('refuses two clusters of the same name and settings of an unknown cluster', () => {
    const cluster = {
      name: 'a',
      url: 'https://a',
      authProvider: 'serviceAccount',
    };
    expect(() =>
      readKubernetesClusterConfigs(config([cluster, cluster])),
    ).toThrow(
      'kubernetes.clusterLocatorMethods names the cluster "a" more than once',
    );
    expect(() =>
      readKubernetesClusterConfigs(
        config([cluster], [{ name: 'b', defaultNamespace: 'x' }]),
      ),
    ).toThrow(
      'streaming.kubernetes.clusters[0] names "b", no cluster of kubernetes.clusterLocatorMethods',
    );
  });
});
