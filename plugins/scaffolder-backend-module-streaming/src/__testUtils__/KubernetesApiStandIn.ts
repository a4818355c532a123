import { findOwnPaths } from '@backstage/cli-common';
import Ajv, { ValidateFunction } from 'ajv';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { parse } from 'yaml';

/**
 * The CRDs of the Spark Operator, as published by kubeflow/spark-operator;
 * shared test data outside the repository (see its README).
 */
const CRD_DIR = findOwnPaths(__dirname).resolveRoot(
  '../shared/fixtures/spark-operator',
);

const RESOURCES = {
  sparkapplications: {
    kind: 'SparkApplication',
    file: 'sparkapplications.sparkoperator.k8s.io.crd.yaml',
  },
  scheduledsparkapplications: {
    kind: 'ScheduledSparkApplication',
    file: 'scheduledsparkapplications.sparkoperator.k8s.io.crd.yaml',
  },
} as const;

type Resource = keyof typeof RESOURCES;

interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { resourceVersion: string };
  spec?: unknown;
  status?: unknown;
}

/**
 * A loopback stand-in for the part of the Kubernetes API that server-side
 * apply of Spark Operator objects uses: `PATCH` with
 * `application/apply-patch+yaml` on the custom resource path, `dryRun=All`,
 * bearer tokens, and validation of the body against the CRD's
 * `openAPIV3Schema`, answering with `Status` objects like the real server.
 */
export class KubernetesApiStandIn {
  readonly objects = new Map<string, StoredObject>();
  readonly requests: Array<{ method: string; url: string; auth?: string }> = [];
  #server?: http.Server;
  #resourceVersion = 1000;
  #validators = new Map<Resource, ValidateFunction>();

  constructor(private readonly token: string) {
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateFormats: false,
    });
    for (const [resource, { file }] of Object.entries(RESOURCES)) {
      const crd = parse(fs.readFileSync(`${CRD_DIR}/${file}`, 'utf8'));
      const version = crd.spec.versions.find(
        (v: { name: string }) => v.name === 'v1beta2',
      );
      this.#validators.set(
        resource as Resource,
        ajv.compile(version.schema.openAPIV3Schema),
      );
    }
  }

  async start(): Promise<string> {
    this.#server = http.createServer((req, res) => this.#handle(req, res));
    await new Promise<void>(resolve =>
      this.#server!.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise(resolve => this.#server?.close(resolve));
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      this.requests.push({
        method: req.method!,
        url: req.url!,
        auth: req.headers.authorization,
      });
      const reply = (code: number, body: unknown) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const status = (code: number, reason: string, message: string) =>
        reply(code, {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message,
          reason,
          code,
        });
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        status(401, 'Unauthorized', 'Unauthorized');
        return;
      }
      const url = new URL(req.url!, 'http://localhost');
      const match = url.pathname.match(
        /^\/apis\/sparkoperator\.k8s\.io\/v1beta2\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)$/,
      );
      if (!match || !(match[2] in RESOURCES)) {
        status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
        return;
      }
      const [, namespace, resource, name] = match as unknown as [
        string,
        string,
        Resource,
        string,
      ];
      const key = `${resource}/${namespace}/${name}`;
      if (req.method === 'GET') {
        const object = this.objects.get(key);
        if (object) {
          reply(200, object);
        } else {
          status(404, 'NotFound', `${resource} "${name}" not found`);
        }
        return;
      }
      if (req.method !== 'PATCH') {
        status(
          405,
          'MethodNotAllowed',
          'the server does not allow this method',
        );
        return;
      }
      if (req.headers['content-type'] !== 'application/apply-patch+yaml') {
        status(
          415,
          'UnsupportedMediaType',
          'the body of the request was in an unknown format',
        );
        return;
      }
      if (!url.searchParams.get('fieldManager')) {
        status(422, 'Invalid', 'fieldManager is required for apply requests');
        return;
      }
      let body: any;
      try {
        body = parse(Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        status(
          400,
          'BadRequest',
          `error decoding YAML: ${(e as Error).message}`,
        );
        return;
      }
      const { kind } = RESOURCES[resource];
      if (
        body?.apiVersion !== 'sparkoperator.k8s.io/v1beta2' ||
        body?.kind !== kind
      ) {
        status(
          400,
          'BadRequest',
          `the body must be a ${kind} of sparkoperator.k8s.io/v1beta2`,
        );
        return;
      }
      if (
        body.metadata?.name !== name ||
        (body.metadata?.namespace ?? namespace) !== namespace
      ) {
        status(
          400,
          'BadRequest',
          'the name or namespace of the object does not match the request URL',
        );
        return;
      }
      const validate = this.#validators.get(resource)!;
      if (!validate(body)) {
        const causes = validate.errors!.map(
          e =>
            `${e.instancePath.replace(/^\//, '').replace(/\//g, '.')}: ${
              e.message
            }`,
        );
        status(
          422,
          'Invalid',
          `${kind}.sparkoperator.k8s.io "${name}" is invalid: ${causes.join(
            ', ',
          )}`,
        );
        return;
      }
      const applied = body as StoredObject;
      const existing = this.objects.get(key);
      const dryRun = url.searchParams.get('dryRun') === 'All';
      const unchanged =
        existing &&
        JSON.stringify(existing.spec) === JSON.stringify(applied.spec) &&
        JSON.stringify(existing.metadata.labels) ===
          JSON.stringify(applied.metadata.labels);
      let resourceVersion = existing?.metadata.resourceVersion ?? '';
      if (!unchanged && !dryRun) {
        resourceVersion = String(++this.#resourceVersion);
      }
      const object: StoredObject = {
        ...applied,
        metadata: {
          ...applied.metadata,
          namespace,
          uid: existing?.metadata.uid ?? `uid-${key}`,
          resourceVersion,
        },
        status: existing?.status,
      };
      if (!dryRun) {
        this.objects.set(key, object);
      }
      reply(existing ? 200 : 201, object);
    });
  }
}
