import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { JsonSchema } from './schemaProblems';
import { repoRoot } from './testKafka';

/** The SparkApplication CRD of the Spark Operator (shared test data, read where it lives). */
export function sparkApplicationCrdSchema(): JsonSchema {
  const file = path.resolve(
    repoRoot,
    '../shared/fixtures/spark-operator/sparkapplications.sparkoperator.k8s.io.crd.yaml',
  );
  const crd = parseYaml(fs.readFileSync(file, 'utf8'));
  const version = crd.spec.versions.find(
    (v: { name: string }) => v.name === 'v1beta2',
  );
  return version.schema.openAPIV3Schema;
}

/** A running SparkApplication as the Spark Operator reports it. */
export function sparkApplication(options: {
  name: string;
  namespace: string;
  state: string;
  errorMessage?: string;
}): Record<string, unknown> {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      creationTimestamp: '2026-11-23T08:00:00Z',
      uid: '0b7e5d4c-9a51-4c8e-8f4e-3e2a1d0c9b8a',
    },
    spec: {
      type: 'Python',
      mode: 'cluster',
      image: 'registry.example.com/spark-py:4.0.0',
      mainApplicationFile: 'local:///opt/app/job.py',
      sparkVersion: '4.0.0',
      restartPolicy: {
        type: 'Always',
        onFailureRetryInterval: 10,
        onSubmissionFailureRetryInterval: 20,
      },
      driver: { cores: 1, memory: '2g', serviceAccount: 'spark' },
      executor: { cores: 2, memory: '4g', instances: 3 },
      dynamicAllocation: { enabled: true, minExecutors: 2, maxExecutors: 3 },
    },
    status: {
      applicationState: {
        state: options.state,
        ...(options.errorMessage ? { errorMessage: options.errorMessage } : {}),
      },
      driverInfo: {
        podName: `${options.name}-driver`,
        webUIAddress: '10.0.0.12:4040',
        webUIPort: 4040,
        webUIServiceName: `${options.name}-ui-svc`,
      },
      executorState: {
        [`${options.name}-exec-1`]: 'RUNNING',
        [`${options.name}-exec-2`]: 'RUNNING',
        [`${options.name}-exec-3`]: 'PENDING',
      },
      executionAttempts: 1,
      submissionAttempts: 1,
      lastSubmissionAttemptTime: new Date(Date.now() - 2 * 3_600_000)
        .toISOString()
        .replace(/\.\d+Z$/, 'Z'),
      sparkApplicationId: 'spark-4f1d2c3b5a6e',
      submissionID: 'a5c1e1f2-7b3d-4c9e-8a1f-2d3c4b5a6f70',
      terminationTime: null,
    },
  };
}

/**
 * A loopback stand-in of the Kubernetes API: `GET` of namespaced
 * SparkApplications with a bearer token; namespaces listed as forbidden
 * answer 403 with a Kubernetes `Status`.
 */
export async function startKubernetesStandIn(options: {
  token: string;
  objects: Array<Record<string, any>>;
  forbiddenNamespaces?: string[];
}): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const status = (code: number, reason: string, message: string) => ({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      send(401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const match =
      /^\/apis\/sparkoperator\.k8s\.io\/v1beta2\/namespaces\/([^/]+)\/sparkapplications\/([^/?]+)$/.exec(
        req.url ?? '',
      );
    if (req.method !== 'GET' || !match) {
      send(
        404,
        status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      );
      return;
    }
    const [, namespace, name] = match;
    if (options.forbiddenNamespaces?.includes(namespace)) {
      send(
        403,
        status(
          403,
          'Forbidden',
          `sparkapplications.sparkoperator.k8s.io "${name}" is forbidden: User "system:serviceaccount:backstage:reader" cannot get resource "sparkapplications" in API group "sparkoperator.k8s.io" in the namespace "${namespace}"`,
        ),
      );
      return;
    }
    const object = options.objects.find(
      o => o.metadata.namespace === namespace && o.metadata.name === name,
    );
    if (!object) {
      send(
        404,
        status(
          404,
          'NotFound',
          `sparkapplications.sparkoperator.k8s.io "${name}" not found`,
        ),
      );
      return;
    }
    send(200, object);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
