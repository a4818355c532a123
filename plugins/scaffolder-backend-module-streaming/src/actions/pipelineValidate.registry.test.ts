import { ConfigReader } from '@backstage/config';
import { avroSchema } from '@internal/plugin-streaming-codegen';
import { SchemaRegistries } from '@internal/plugin-streaming-node';
import { TestSchemaRegistry } from '@internal/plugin-streaming-node/testUtils';
import { invokeAction } from '../__testUtils__/invokeAction';
import { createPipelineValidateAction } from './pipelineValidate';

type Field = { name: string; type: string; nullable?: boolean };

const NAME = 'clicks-by-page';
const v1: Field[] = [
  { name: 'page', type: 'string' },
  { name: 'user_id', type: 'string', nullable: false },
];

const spec = (topic: string, fields: Field[]) => ({
  spec: {
    pipeline: {
      name: NAME,
      owner: 'group:default/team-growth',
      source: {
        type: 'kafka',
        cluster: 'local',
        topic,
        format: 'avro',
        fields,
      },
      transformations: [],
      sink: {
        type: 'delta',
        path: `/data/delta/${NAME}`,
        checkpoint: `/checkpoints/${NAME}`,
      },
    },
  },
});

describe('streaming:pipeline:validate against the real schema registry', () => {
  let registry: TestSchemaRegistry;
  let action: ReturnType<typeof createPipelineValidateAction>;
  const subjects: string[] = [];

  beforeAll(async () => {
    registry = await TestSchemaRegistry.start();
    action = createPipelineValidateAction({
      kafkaClusters: ['local'],
      schemaRegistries: SchemaRegistries.fromConfig(
        new ConfigReader({
          streaming: {
            kafka: {
              clusters: [{ name: 'local', brokers: ['127.0.0.1:9092'] }],
            },
            schemaRegistries: { local: { url: registry.url } },
          },
        }),
      ),
    });
  }, 600_000);

  afterAll(async () => {
    for (const subject of subjects) {
      await registry.client.deleteSubject(subject);
    }
  });

  /** A topic whose subject holds the schema of `v1` under BACKWARD. */
  async function topicWithV1(): Promise<string> {
    const topic = registry.uniqueTopic('clicks');
    subjects.push(`${topic}-value`);
    await registry.client.register(
      `${topic}-value`,
      avroSchema(NAME, v1 as any),
      'AVRO',
    );
    await registry.client.setCompatibilityLevel(`${topic}-value`, 'BACKWARD');
    return topic;
  }

  it('refuses a change the subject cannot take, naming the fields that break', async () => {
    const topic = await topicWithV1();
    const broken = [
      ...v1,
      { name: 'email', type: 'string', nullable: false },
      { name: 'country', type: 'string', nullable: false },
    ];
    const error = await invokeAction(action, spec(topic, broken)).catch(e => e);
    expect(String(error)).toContain(
      `pipeline.source.fields: not BACKWARD compatible with version 1 of subject ${topic}-value in schema registry local; fields that break: email (/fields/2), country (/fields/3)`,
    );
  });

  it('accepts a compatible change (a nullable field, which has a default)', async () => {
    const topic = await topicWithV1();
    const outputs = await invokeAction(
      action,
      spec(topic, [...v1, { name: 'referrer', type: 'string' }]),
    );
    expect(outputs).toMatchObject({ valid: true, errors: [] });
  });

  it('follows the subject level: the same change passes under NONE', async () => {
    const topic = await topicWithV1();
    await registry.client.setCompatibilityLevel(`${topic}-value`, 'NONE');
    const outputs = await invokeAction(
      action,
      spec(topic, [...v1, { name: 'email', type: 'string', nullable: false }]),
    );
    expect(outputs).toMatchObject({ valid: true, errors: [] });
  });

  it('has nothing to check for a subject the registry does not have', async () => {
    const outputs = await invokeAction(
      action,
      spec(registry.uniqueTopic('fresh'), v1),
    );
    expect(outputs).toMatchObject({ valid: true, errors: [], warnings: [] });
  });

  it('warns, and does not fail, when the registry cannot be reached', async () => {
    const offline = createPipelineValidateAction({
      kafkaClusters: ['local'],
      schemaRegistries: SchemaRegistries.fromConfig(
        new ConfigReader({
          streaming: {
            kafka: {
              clusters: [{ name: 'local', brokers: ['127.0.0.1:9092'] }],
            },
            schemaRegistries: {
              down: {
                url: 'http://127.0.0.1:9/apis/ccompat/v7',
                requestTimeoutMs: 2000,
              },
            },
          },
        }),
      ),
    });
    const outputs = await invokeAction(offline, spec('clicks', v1));
    expect(outputs.valid).toBe(true);
    expect(outputs.warnings).toEqual([
      expect.stringMatching(
        /^pipeline\.source: compatibility with subject clicks-value of schema registry down not checked: /,
      ),
    ]);
  });

  it('checks that the registry has the subject version a spec reads, with no compatibility check', async () => {
    const topic = await topicWithV1();
    const reading = (schema: object) => {
      const input = spec(topic, v1);
      const source = input.spec.pipeline.source as Record<string, unknown>;
      delete source.fields;
      source.schema = schema;
      return input;
    };
    const subject = `${topic}-value`;
    expect(
      await invokeAction(
        action,
        reading({ registry: 'local', subject, version: 1 }),
      ),
    ).toMatchObject({ valid: true, errors: [], warnings: [] });
    expect(
      await invokeAction(action, reading({ registry: 'local', subject })),
    ).toMatchObject({ valid: true, errors: [], warnings: [] });
    await expect(
      invokeAction(action, reading({ registry: 'local', subject, version: 4 })),
    ).rejects.toThrow(
      `pipeline.source.schema: schema registry local has no version 4 of subject ${subject}`,
    );
    await expect(
      invokeAction(action, reading({ registry: 'other', subject })),
    ).rejects.toThrow(
      'pipeline.source.schema.registry: no schema registry named other in app-config (streaming.schemaRegistries); configured: local',
    );
  });
});
