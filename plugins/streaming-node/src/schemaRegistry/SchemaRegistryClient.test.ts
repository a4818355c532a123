import { ConfigReader } from '@backstage/config';
import { ResponseError } from '@backstage/errors';
import { TestSchemaRegistry } from '../testUtils/TestSchemaRegistry';
import { SchemaRegistries } from './SchemaRegistries';

const userV1 = JSON.stringify({
  type: 'record',
  name: 'User',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'age', type: 'int' },
  ],
});
/** Adds `country` with a default: a BACKWARD-compatible change. */
const userV2 = JSON.stringify({
  type: 'record',
  name: 'User',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'age', type: 'int' },
    { name: 'country', type: 'string', default: 'unknown' },
  ],
});
/** Adds `email` without a default: new readers cannot read old records. */
const userBroken = JSON.stringify({
  type: 'record',
  name: 'User',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'age', type: 'int' },
    { name: 'email', type: 'string' },
  ],
});

describe('SchemaRegistryClient on the real registry', () => {
  let registry: TestSchemaRegistry;
  const created: string[] = [];

  beforeAll(async () => {
    registry = await TestSchemaRegistry.start();
  }, 600_000);

  afterAll(async () => {
    for (const subject of created) {
      await registry.client.deleteSubject(subject);
    }
  });

  const newSubject = (prefix: string) => {
    const subject = registry.uniqueSubject(prefix);
    created.push(subject);
    return subject;
  };

  it('registers versions and reads them back by subject, version and id', async () => {
    const { client } = registry;
    const subject = newSubject('client-users');
    const id1 = await client.register(subject, userV1, 'AVRO');
    const id2 = await client.register(subject, userV2, 'AVRO');
    expect(id2).not.toBe(id1);
    // Registering the same schema again is not a new version.
    expect(await client.register(subject, userV2, 'AVRO')).toBe(id2);

    expect(await client.listSubjects()).toContain(subject);
    expect(await client.listVersions(subject)).toEqual([1, 2]);
    const latest = await client.getVersion(subject);
    expect(latest).toMatchObject({
      subject,
      version: 2,
      id: id2,
      schemaType: 'AVRO',
    });
    expect(JSON.parse(latest.schema).fields.map((f: any) => f.name)).toEqual([
      'id',
      'age',
      'country',
    ]);
    expect((await client.getVersion(subject, 1)).id).toBe(id1);
    const byId = await client.getSchemaById(id1);
    expect(byId.schemaType).toBe('AVRO');
    expect(JSON.parse(byId.schema)).toEqual(JSON.parse(userV1));
    expect(await client.findLatest(`${subject}-missing`)).toBeUndefined();
  });

  it('answers a BACKWARD check: refuses a field without a default and names it, accepts one with', async () => {
    const { client } = registry;
    const subject = newSubject('client-compat');
    await client.register(subject, userV1, 'AVRO');
    await client.setCompatibilityLevel(subject, 'BACKWARD');
    expect(await client.getCompatibilityLevel(subject)).toBe('BACKWARD');

    const refused = await client.checkCompatibility(
      subject,
      userBroken,
      'AVRO',
    );
    expect(refused.compatible).toBe(false);
    expect(refused.incompatibilities.map(i => i.field)).toEqual(['email']);
    expect(refused.incompatibilities[0].path).toBe('/fields/2');

    expect(await client.checkCompatibility(subject, userV2, 'AVRO')).toEqual({
      compatible: true,
      incompatibilities: [],
    });

    // Under NONE the same change is accepted: the check follows the subject's level.
    await client.setCompatibilityLevel(subject, 'NONE');
    expect(
      (await client.checkCompatibility(subject, userBroken, 'AVRO')).compatible,
    ).toBe(true);
  });

  it('checks JSON Schema subjects too', async () => {
    const { client } = registry;
    const subject = newSubject('client-json');
    const v1 = JSON.stringify({
      type: 'object',
      properties: { id: { type: 'string' }, amount: { type: 'number' } },
      additionalProperties: false,
    });
    const narrowed = JSON.stringify({
      type: 'object',
      properties: { id: { type: 'string' }, amount: { type: 'string' } },
      additionalProperties: false,
    });
    await client.register(subject, v1, 'JSON');
    await client.setCompatibilityLevel(subject, 'BACKWARD');
    expect((await client.getVersion(subject)).schemaType).toBe('JSON');
    const result = await client.checkCompatibility(subject, narrowed, 'JSON');
    expect(result.compatible).toBe(false);
    expect(result.incompatibilities).toEqual([
      {
        field: 'amount',
        path: '/properties/amount',
        message: expect.stringContaining('at /properties/amount'),
      },
    ]);
  });

  it('checks a schema against an earlier version and tells when versions were registered', async () => {
    const { client } = registry;
    const subject = newSubject('client-versions');
    await client.register(subject, userV1, 'AVRO');
    await client.setCompatibilityLevel(subject, 'NONE');
    await client.register(subject, userBroken, 'AVRO');
    // FORWARD: records of the new version readable with version 1's schema.
    await client.setCompatibilityLevel(subject, 'FORWARD');
    expect(
      (await client.checkCompatibility(subject, userBroken, 'AVRO', 1))
        .compatible,
    ).toBe(true);
    // BACKWARD: version 1's records lack `email`, which has no default.
    await client.setCompatibilityLevel(subject, 'BACKWARD');
    expect(
      (await client.checkCompatibility(subject, userBroken, 'AVRO', 1))
        .compatible,
    ).toBe(false);
    const at = await client.registeredAt(subject, 2);
    expect(Date.now() - Date.parse(at!)).toBeLessThan(600_000);
    expect(await client.registeredAt(subject, 99)).toBeUndefined();
  });

  it('reports the registry status and message of a failed request', async () => {
    const error = await registry.client
      .getVersion('no-such-subject-anywhere', 1)
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).response.status).toBe(404);
  });

  it('is configured by name in app-config, with credentials never in the URL', () => {
    const registries = SchemaRegistries.fromConfig(
      new ConfigReader({
        streaming: {
          schemaRegistries: {
            local: { url: `${registry.url}/` },
            secured: {
              url: 'https://registry.example.com',
              username: 'key',
              password: 'secret',
            },
          },
        },
      }),
    );
    expect(registries.names()).toEqual(['local', 'secured']);
    expect(registries.get('local').url).toBe(registry.url);
    expect(() => registries.get('other')).toThrow(
      'no schema registry named "other" in app-config (streaming.schemaRegistries); configured: local, secured',
    );
    let message = '';
    try {
      SchemaRegistries.fromConfig(
        new ConfigReader({
          streaming: {
            schemaRegistries: {
              bad: { url: 'https://key:hunter2@registry.example.com' },
            },
          },
        }),
      );
    } catch (e) {
      message = String(e);
    }
    expect(message).toContain('streaming.schemaRegistries.bad.url');
    expect(message).not.toContain('hunter2');
  });
});
