import { JsonObject } from '@backstage/types';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import {
  TestSchemaRegistry,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { loadTemplate } from './__testUtils__/templates';
import { templateValues } from './__testUtils__/templateValues';

const AVRO_V1 = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'order_id', type: 'string' },
    { name: 'country', type: 'string' },
    { name: 'status', type: 'string' },
    { name: 'total', type: 'double' },
  ],
};
const AVRO_V2 = {
  ...AVRO_V1,
  fields: [
    ...AVRO_V1.fields,
    { name: 'coupon', type: ['null', 'string'], default: null },
  ],
};

const JSON_V1 = {
  type: 'object',
  properties: {
    service: { type: 'string' },
    level: { type: 'string' },
    trace_id: { type: 'string' },
  },
  required: ['service', 'level', 'trace_id'],
};

/**
 * The Schema field of the Kafka templates (PipelineFieldsEditor) holds the
 * fields and, when the user chose "Read with subject", the subject: the
 * template's spec then names the subject as the source's schema and has no
 * fields. Through the real scaffolder and the real schema registry.
 */
describe('Kafka templates whose Schema field reads with a registry subject, through the scaffolder in dry run', () => {
  let registry: TestSchemaRegistry;
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;
  const subjects: string[] = [];

  beforeAll(async () => {
    registry = await TestSchemaRegistry.start();
    backend = await startScaffolderTestBackend({
      streaming: {
        schemaRegistries: { local: { url: registry.url } },
      },
    });
  }, 600_000);

  afterAll(async () => {
    await backend?.stop();
    for (const subject of subjects) {
      await registry.client.deleteSubject(subject);
    }
  });

  async function subjectOf(
    prefix: string,
    type: 'AVRO' | 'JSON',
    ...schemas: object[]
  ): Promise<string> {
    const subject = registry.uniqueSubject(prefix);
    for (const schema of schemas) {
      await registry.client.register(subject, JSON.stringify(schema), type);
    }
    subjects.push(subject);
    return subject;
  }

  /** The dry run's files, by path, after checking that every step ran. */
  async function dryRun(name: string, values: JsonObject) {
    const { status, body } = await backend.dryRun(loadTemplate(name), values);
    expect({ status, errors: body.errors, error: body.error }).toEqual({
      status: 200,
      errors: undefined,
      error: undefined,
    });
    expect(body.log.filter(l => l.body.status === 'failed')).toEqual([]);
    expect(body.log.map(l => l.body.message)).toEqual(
      expect.arrayContaining([
        'Finished step Validate the pipeline spec',
        'Finished step Generate the job, manifests and docs',
      ]),
    );
    return Object.fromEntries(
      body.directoryContents.map(f => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ]),
    );
  }

  it('kafka-to-delta: the spec reads with the pinned Avro subject, not the fields', async () => {
    const subject = await subjectOf('orders', 'AVRO', AVRO_V1, AVRO_V2);
    const values = templateValues['kafka-to-delta'](
      uniqueName('s').slice(0, 10),
    );
    const files = await dryRun('kafka-to-delta', {
      ...values,
      format: 'avro',
      createTopic: false,
      sourceSchema: {
        // The form keeps the subject's fields for the transformations editor.
        fields: [
          { name: 'order_id', type: 'string', nullable: false },
          { name: 'country', type: 'string', nullable: false },
          { name: 'status', type: 'string', nullable: false },
          { name: 'total', type: 'double', nullable: false },
        ],
        // Version 1 although version 2 is the latest: the choice pins it.
        subject: { registry: 'local', subject, version: 1 },
        subjectFormat: 'avro',
      },
      // Without a watermark column in the subject: a filter only.
      transformations: [{ type: 'filter', condition: "status = 'paid'" }],
    });
    const source = parsePipelineSpec(files['pipeline.yaml']).spec!.pipeline
      .source as JsonObject;
    expect(source).toMatchObject({
      type: 'kafka',
      format: 'avro',
      schema: { registry: 'local', subject, version: 1 },
    });
    expect(source.fields).toBeUndefined();
    expect(JSON.parse(files[`schemas/${subject}.avsc`])).toEqual(AVRO_V1);
    expect(files['job/main.py']).toContain(
      `"schema_file": setting("PIPELINE_SCHEMA_FILE", "schemas/${subject}.avsc")`,
    );
  });

  it('kafka-to-elasticsearch: the spec reads with the JSON Schema subject', async () => {
    const subject = await subjectOf('app-logs', 'JSON', JSON_V1);
    const values = templateValues['kafka-to-elasticsearch'](
      uniqueName('s').slice(0, 10),
    );
    const files = await dryRun('kafka-to-elasticsearch', {
      ...values,
      format: 'json',
      createTopic: false,
      sourceSchema: {
        fields: [
          { name: 'service', type: 'string', nullable: false },
          { name: 'level', type: 'string', nullable: false },
          { name: 'trace_id', type: 'string', nullable: false },
        ],
        subject: { registry: 'local', subject, version: 1 },
        subjectFormat: 'json',
      },
    });
    const source = parsePipelineSpec(files['pipeline.yaml']).spec!.pipeline
      .source as JsonObject;
    expect(source).toMatchObject({
      format: 'json',
      schema: { registry: 'local', subject, version: 1 },
    });
    expect(source.fields).toBeUndefined();
    expect(JSON.parse(files[`schemas/${subject}.schema.json`])).toEqual(
      JSON_V1,
    );
    expect(files['job/main.py']).toContain(
      `sources.decode_json(records, ROW_SCHEMA, registry=registry.from_settings(SETTINGS, subject="${subject}"))`,
    );
  });

  it('kafka-to-delta: copied fields give a spec with the fields and no schema', async () => {
    const values = templateValues['kafka-to-delta'](
      uniqueName('s').slice(0, 10),
    );
    const files = await dryRun('kafka-to-delta', {
      ...values,
      createTopic: false,
    });
    const source = parsePipelineSpec(files['pipeline.yaml']).spec!.pipeline
      .source as JsonObject;
    expect((source.fields as JsonObject[]).map(f => f.name)).toEqual([
      'order_id',
      'country',
      'status',
      'total',
      'created_at',
    ]);
    expect(source).not.toHaveProperty('schema');
  });
});
