import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import { SchemaRegistries } from '@internal/plugin-streaming-node';
import { TestSchemaRegistry } from '@internal/plugin-streaming-node/testUtils';
import { invokeAction } from '../__testUtils__/invokeAction';
import { createPipelineRenderAction } from './pipelineRender';

const V1 = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'order_id', type: 'string' },
    { name: 'amount', type: 'double' },
  ],
};
const V2 = {
  ...V1,
  fields: [
    ...V1.fields,
    { name: 'coupon', type: ['null', 'string'], default: null },
  ],
};

// v1 and v2 of a JSON Schema subject: v2 adds an optional property.
const JSON_V1 = {
  type: 'object',
  properties: {
    order_id: { type: 'string' },
    amount: { type: 'number' },
    placed_at: { type: 'string', format: 'date-time' },
  },
  required: ['order_id', 'amount'],
  additionalProperties: false,
};
const JSON_V2 = {
  ...JSON_V1,
  properties: { ...JSON_V1.properties, coupon: { type: ['string', 'null'] } },
};

// v1 and v2 of a Protobuf subject: v2 adds an optional field to Order.
const PROTO_V1 = `syntax = "proto3";
package shop;

// Orders as the shop writes them.
message Order {
  string order_id = 1;
  double amount = 2;
  message Line {
    string sku = 1;
  }
  repeated Line lines = 3;
}

message Refund {
  string order_id = 1;
}
`;
const PROTO_V2 = PROTO_V1.replace(
  '  repeated Line lines = 3;\n',
  '  repeated Line lines = 3;\n  optional string coupon = 4;\n',
);

/** Whether protoc is here (scripts/protoc.sh install); in CI it must be. */
function hasProtoc(): boolean {
  try {
    execFileSync('protoc', ['--version']);
    return true;
  } catch {
    if (process.env.CI === 'true') {
      throw new Error('protoc is not installed (scripts/protoc.sh install)');
    }
    return false;
  }
}

const specText = (
  subject: string,
  version?: number,
  format: 'avro' | 'json' | 'protobuf' = 'avro',
  message?: string,
) => `# Orders, read with the writer schema of each record.
pipeline:
  name: orders-to-delta
  owner: group:default/team-shop
  source:
    type: kafka
    topic: orders
    format: ${format}
    schema:
      registry: local
      subject: ${subject}${version ? `\n      version: ${version}` : ''}${
  message ? `\n      message: ${message}` : ''
}
  sink:
    type: delta
    path: /data/delta/orders
    checkpoint: /checkpoints/orders-to-delta # never shared
`;

describe('streaming:pipeline:render with a registry subject, against the real schema registry', () => {
  let registry: TestSchemaRegistry;
  let action: ReturnType<typeof createPipelineRenderAction>;
  const subjects: string[] = [];
  const dir = createMockDirectory();

  beforeAll(async () => {
    registry = await TestSchemaRegistry.start();
    action = createPipelineRenderAction({
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      schemaRegistries: SchemaRegistries.fromConfig(
        new ConfigReader({
          streaming: { schemaRegistries: { local: { url: registry.url } } },
        }),
      ),
    });
  }, 600_000);

  beforeEach(() => dir.clear());

  afterAll(async () => {
    for (const subject of subjects) {
      await registry.client.deleteSubject(subject);
    }
  });

  async function subjectOf(
    type: 'AVRO' | 'JSON' | 'PROTOBUF',
    ...schemas: (object | string)[]
  ): Promise<string> {
    const subject = registry.uniqueSubject(
      type === 'AVRO' ? 'orders' : type.toLowerCase(),
    );
    for (const schema of schemas) {
      await registry.client.register(
        subject,
        typeof schema === 'string' ? schema : JSON.stringify(schema),
        type,
      );
    }
    subjects.push(subject);
    return subject;
  }
  const subjectWith = (...schemas: object[]) => subjectOf('AVRO', ...schemas);

  const read = (path: string) => fs.readFileSync(join(dir.path, path), 'utf8');

  it('pins "latest" to the version it resolves to and keeps that schema in the repository', async () => {
    const subject = await subjectWith(V1, V2);
    const outputs = await invokeAction(
      action,
      { specText: specText(subject) },
      { workspacePath: dir.path },
    );
    expect(outputs.schemaVersion).toBe(2);
    expect(outputs.files).toContain(`schemas/${subject}.avsc`);
    expect(JSON.parse(read(`schemas/${subject}.avsc`))).toEqual(V2);
    const written = read('pipeline.yaml');
    // The spec as written, comments kept, with the version pinned.
    expect(written).toContain(
      '# Orders, read with the writer schema of each record.',
    );
    expect(written).toContain('# never shared');
    expect(parsePipelineSpec(written).spec!.pipeline.source).toMatchObject({
      schema: { registry: 'local', subject, version: 2 },
    });
    expect(read('job/main.py')).toContain(
      `"schema_file": setting("PIPELINE_SCHEMA_FILE", "schemas/${subject}.avsc")`,
    );
    expect(read('requirements.txt')).toContain('fastavro==');
    // Rendering again later keeps version 2 even after version 3 exists.
    await registry.client.register(
      subject,
      JSON.stringify({
        ...V2,
        fields: [
          ...V2.fields,
          { name: 'note', type: ['null', 'string'], default: null },
        ],
      }),
      'AVRO',
    );
    const again = await invokeAction(
      action,
      { specText: written },
      { workspacePath: dir.path },
    );
    expect(again.schemaVersion).toBe(2);
    expect(JSON.parse(read(`schemas/${subject}.avsc`))).toEqual(V2);
  });

  it('reads the version a spec object pins', async () => {
    const subject = await subjectWith(V1, V2);
    const spec = parsePipelineSpec(specText(subject, 1)).spec!;
    const outputs = await invokeAction(
      action,
      { spec: JSON.parse(JSON.stringify(spec)) },
      { workspacePath: dir.path },
    );
    expect(outputs.schemaVersion).toBe(1);
    expect(JSON.parse(read(`schemas/${subject}.avsc`))).toEqual(V1);
    expect(
      parsePipelineSpec(read('pipeline.yaml')).spec!.pipeline.source,
    ).toMatchObject({
      schema: { version: 1 },
    });
  });

  it('reads a JSON Schema subject for JSON payloads, keeping its schema as schemas/<subject>.schema.json', async () => {
    const subject = await subjectOf('JSON', JSON_V1, JSON_V2);
    const outputs = await invokeAction(
      action,
      { specText: specText(subject, undefined, 'json') },
      { workspacePath: dir.path },
    );
    expect(outputs.schemaVersion).toBe(2);
    expect(outputs.files).toContain(`schemas/${subject}.schema.json`);
    expect(fs.existsSync(join(dir.path, `schemas/${subject}.avsc`))).toBe(
      false,
    );
    expect(JSON.parse(read(`schemas/${subject}.schema.json`))).toEqual(JSON_V2);
    expect(
      parsePipelineSpec(read('pipeline.yaml')).spec!.pipeline.source,
    ).toMatchObject({ format: 'json', schema: { subject, version: 2 } });
    const job = read('job/main.py');
    expect(job).toContain(
      `"schema_file": setting("PIPELINE_SCHEMA_FILE", "schemas/${subject}.schema.json")`,
    );
    expect(job).toContain(
      'ROW_SCHEMA = schemas.load_json_schema(SETTINGS["schema_file"], REPOSITORY_DIR)',
    );
    expect(job).toContain(
      `sources.decode_json(records, ROW_SCHEMA, registry=registry.from_settings(SETTINGS, subject="${subject}"))`,
    );
  });

  it('reads a Protobuf subject for Protobuf payloads, keeping its .proto as schemas/<subject>.proto, which protoc compiles', async () => {
    const subject = await subjectOf('PROTOBUF', PROTO_V1, PROTO_V2);
    const outputs = await invokeAction(
      action,
      { specText: specText(subject, undefined, 'protobuf', 'Order.Line') },
      { workspacePath: dir.path },
    );
    expect(outputs.schemaVersion).toBe(2);
    expect(outputs.files).toContain(`schemas/${subject}.proto`);
    const proto = read(`schemas/${subject}.proto`);
    expect(proto).toContain('optional string coupon = 4;');
    expect(
      parsePipelineSpec(read('pipeline.yaml')).spec!.pipeline.source,
    ).toMatchObject({
      format: 'protobuf',
      schema: { subject, version: 2, message: 'Order.Line' },
    });
    const job = read('job/main.py');
    expect(job).toContain(
      `"schema_file": setting("PIPELINE_SCHEMA_FILE", "schemas/${subject}.proto")`,
    );
    expect(job).toContain(
      'PROTOBUF_SCHEMA = protobuf.load_protobuf_schema(SETTINGS["schema_file"], REPOSITORY_DIR, message="Order.Line")',
    );
    expect(job).toContain(
      `sources.decode_protobuf(records, PROTOBUF_SCHEMA, registry=registry.from_settings(SETTINGS, subject="${subject}"))`,
    );
    expect(read('requirements.txt')).toContain('protobuf==');
    expect(read('Dockerfile')).toContain(
      `--descriptor_set_out=/opt/pipeline/schemas/${subject}.desc`,
    );
    // The descriptor set the image builds: protoc compiles the kept .proto as it stands.
    const descriptorSet = join(dir.path, 'schemas', `${subject}.desc`);
    if (hasProtoc()) {
      execFileSync('protoc', [
        `--proto_path=${join(dir.path, 'schemas')}`,
        '--include_imports',
        `--descriptor_set_out=${descriptorSet}`,
        join(dir.path, 'schemas', `${subject}.proto`),
      ]);
    }
    expect(!hasProtoc() || fs.statSync(descriptorSet).size > 0).toBe(true);
  });

  it.each([
    [
      'a subject the registry does not have',
      async () => ({ text: specText(registry.uniqueSubject('missing')) }),
      /pipeline\.source\.schema: schema registry local has no version of subject missing-.*-value/,
    ],
    [
      'a version the subject does not have',
      async () => ({ text: specText(await subjectWith(V1), 7) }),
      /pipeline\.source\.schema: schema registry local has no version 7 of subject orders-.*-value/,
    ],
    [
      'a registry app-config does not name',
      async () => ({
        text: specText(await subjectWith(V1)).replace(
          'registry: local',
          'registry: other',
        ),
      }),
      /no schema registry named "other" in app-config \(streaming\.schemaRegistries\); configured: local/,
    ],
    [
      'a subject of JSON Schemas',
      async () => {
        const subject = registry.uniqueSubject('json');
        subjects.push(subject);
        await registry.client.register(
          subject,
          JSON.stringify({
            type: 'object',
            properties: { a: { type: 'string' } },
          }),
          'JSON',
        );
        return { text: specText(subject) };
      },
      /pipeline\.source\.schema: subject json-.*-value of schema registry local holds JSON schemas; the pipeline reads avro payloads \(format: avro\), which need AVRO schemas/,
    ],
    [
      'an Avro subject for JSON payloads',
      async () => ({
        text: specText(await subjectWith(V1), undefined, 'json'),
      }),
      /pipeline\.source\.schema: subject orders-.*-value of schema registry local holds AVRO schemas; the pipeline reads json payloads \(format: json\), which need JSON schemas/,
    ],
    [
      'a JSON Schema that is not of an object',
      async () => ({
        text: specText(
          await subjectOf('JSON', {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'array',
            items: { type: 'string' },
          }),
          undefined,
          'json',
        ),
      }),
      /pipeline\.source\.schema: version 1 of subject json-.*-value in schema registry local is not a JSON Schema of an object/,
    ],
    [
      'a JSON Schema whose properties the job cannot read',
      async () => ({
        text: specText(
          await subjectOf('JSON', {
            type: 'object',
            properties: {
              id: { type: 'string' },
              customer: {
                type: 'object',
                properties: { address: { $ref: '#/$defs/address' } },
              },
              amount: { oneOf: [{ type: 'number' }, { type: 'string' }] },
            },
          }),
          undefined,
          'json',
        ),
      }),
      /pipeline\.source\.schema: version 1 of subject json-.*-value in schema registry local has properties the job cannot derive a column from \(customer\.address, amount\)/,
    ],
    [
      'an Avro subject for Protobuf payloads',
      async () => ({
        text: specText(await subjectWith(V1), undefined, 'protobuf'),
      }),
      /pipeline\.source\.schema: subject orders-.*-value of schema registry local holds AVRO schemas; the pipeline reads protobuf payloads \(format: protobuf\), which need PROTOBUF schemas/,
    ],
    [
      'a Protobuf subject for Avro payloads',
      async () => ({
        text: specText(await subjectOf('PROTOBUF', PROTO_V1)),
      }),
      /pipeline\.source\.schema: subject protobuf-.*-value of schema registry local holds PROTOBUF schemas; the pipeline reads avro payloads \(format: avro\), which need AVRO schemas/,
    ],
    [
      'a message the .proto does not declare',
      async () => ({
        text: specText(
          await subjectOf('PROTOBUF', PROTO_V1),
          undefined,
          'protobuf',
          'Line',
        ),
      }),
      /pipeline\.source\.schema\.message: version 1 of subject protobuf-.*-value in schema registry local has no message Line; it has Order, Order\.Line, Refund/,
    ],
  ])('refuses %s, writing nothing', async (_, setUp, message) => {
    const { text } = await setUp();
    await expect(
      invokeAction(action, { specText: text }, { workspacePath: dir.path }),
    ).rejects.toThrow(message);
    expect(fs.readdirSync(dir.path)).toEqual([]);
  });
});
