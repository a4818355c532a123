import { readFileSync } from 'fs';
import { join } from 'path';
import { stringify } from 'yaml';
import { parsePipelineSpec } from './parsePipelineSpec';
import { formatSpecError } from './SpecError';
import { registrySchemaFile, sourceSchemaFile } from './sourceSchemaFile';
import { validatePipelineSpec } from './validatePipelineSpec';

const reference = parsePipelineSpec(
  readFileSync(join(__dirname, '__fixtures__/reference.yaml'), 'utf8'),
).spec!;

/** The reference spec reading Avro with `schema`, plus `edit`. */
function withSchema(schema: unknown, edit: (source: any) => void = () => {}) {
  const copy = JSON.parse(JSON.stringify(reference));
  copy.pipeline.source = {
    ...copy.pipeline.source,
    format: 'avro',
    schema,
  };
  edit(copy.pipeline.source);
  return validatePipelineSpec(copy);
}

const errorsOf = (result: ReturnType<typeof withSchema>) =>
  result.errors.map(formatSpecError);

describe('a registry subject as the source schema', () => {
  it('is read with its registry, subject and version, "latest" by default', () => {
    const pinned = withSchema({
      registry: 'local',
      subject: 'user-events-value',
      version: 3,
    });
    expect(errorsOf(pinned)).toEqual([]);
    expect(pinned.spec!.pipeline.source).toMatchObject({
      schema: { registry: 'local', subject: 'user-events-value', version: 3 },
    });
    const latest = withSchema({ registry: 'local', subject: 'com.acme.User' });
    expect(errorsOf(latest)).toEqual([]);
    expect(latest.spec!.pipeline.source).toMatchObject({
      schema: {
        registry: 'local',
        subject: 'com.acme.User',
        version: 'latest',
      },
    });
    expect(sourceSchemaFile(pinned.spec!.pipeline.source)).toBe(
      'schemas/user-events-value.avsc',
    );
    expect(sourceSchemaFile(latest.spec!.pipeline.source)).toBe(
      registrySchemaFile('com.acme.User', 'avro'),
    );
  });

  it('parses from YAML text with errors at the key', () => {
    const copy = JSON.parse(JSON.stringify(reference));
    copy.pipeline.source = {
      ...copy.pipeline.source,
      format: 'avro',
      schema: { registry: 'local', subject: 'user events', version: 0 },
    };
    const result = parsePipelineSpec(stringify(copy));
    expect(result.errors.map(e => [formatSpecError(e), e.line])).toEqual([
      [
        'pipeline.source.schema.subject: expected a subject name such as orders-value (letters, digits, ".", "_" and "-")',
        expect.any(Number),
      ],
      [
        'pipeline.source.schema.version: expected a version number (1, 2, ...) or "latest"',
        expect.any(Number),
      ],
    ]);
  });

  it.each([
    [
      'a registry name that is not one',
      { registry: 'Local Registry', subject: 'a-value' },
      'pipeline.source.schema.registry: expected the name of a schema registry in app-config (streaming.schemaRegistries), such as "local"',
    ],
    [
      'a subject starting with a dot (no file outside schemas/)',
      { registry: 'local', subject: '../secrets' },
      'pipeline.source.schema.subject: expected a subject name such as orders-value (letters, digits, ".", "_" and "-")',
    ],
    [
      'an unknown key',
      { registry: 'local', subject: 'a-value', url: 'http://x' },
      'pipeline.source.schema.url: unknown field; expected one of registry, subject, version, message',
    ],
  ])('refuses %s', (_, schema, message) => {
    expect(errorsOf(withSchema(schema))).toContain(message);
  });

  it('is for Avro and JSON payloads of Kafka sources in the Confluent wire format', () => {
    const cdc = JSON.parse(JSON.stringify(reference));
    cdc.pipeline.source = {
      type: 'debezium',
      topic: 'pg.public.users',
      key: ['id'],
      schema: { registry: 'local', subject: 'pg.public.users-value' },
    };
    expect(validatePipelineSpec(cdc).errors.map(formatSpecError)).toContain(
      'pipeline.source.schema: expected string, got a mapping',
    );
    const ref = { registry: 'local', subject: 'a-value' };
    expect(
      errorsOf(withSchema(ref, s => (s.avro_wire_format = 'plain'))),
    ).toContain(
      'pipeline.source.avro_wire_format: records read with a schema registry subject are in the Confluent wire format: leave it out or say confluent',
    );
    expect(
      errorsOf(withSchema(ref, s => (s.avro_wire_format = 'confluent'))),
    ).toEqual([]);
  });

  it('reads a JSON Schema subject for JSON payloads, its schema kept as <subject>.schema.json', () => {
    const json = withSchema(
      { registry: 'local', subject: 'orders-value' },
      s => {
        s.format = 'json';
      },
    );
    expect(errorsOf(json)).toEqual([]);
    expect(sourceSchemaFile(json.spec!.pipeline.source)).toBe(
      'schemas/orders-value.schema.json',
    );
    // JSON records of a subject are always framed: the Avro framing key has no say.
    for (const wireFormat of ['plain', 'confluent']) {
      expect(
        errorsOf(
          withSchema({ registry: 'local', subject: 'orders-value' }, s => {
            s.format = 'json';
            s.avro_wire_format = wireFormat;
          }),
        ),
      ).toEqual([
        'pipeline.source.avro_wire_format: is for Avro payloads: JSON records read with a schema registry subject are in the Confluent wire format (magic byte, schema id, JSON text); leave it out',
      ]);
    }
  });

  it('reads a Protobuf subject for Protobuf payloads, its .proto kept as <subject>.proto, a message named for Protobuf only', () => {
    const ref = { registry: 'local', subject: 'orders-value' };
    const protobuf = withSchema({ ...ref, message: 'Order.Line' }, s => {
      s.format = 'protobuf';
    });
    expect(errorsOf(protobuf)).toEqual([]);
    expect(protobuf.spec!.pipeline.source).toMatchObject({
      format: 'protobuf',
      schema: { ...ref, version: 'latest', message: 'Order.Line' },
    });
    expect(sourceSchemaFile(protobuf.spec!.pipeline.source)).toBe(
      'schemas/orders-value.proto',
    );
    expect(
      errorsOf(
        withSchema('./schemas/order.avsc', s => {
          s.format = 'protobuf';
        }),
      ),
    ).toEqual([
      'pipeline.source.schema: Protobuf payloads are read with a schema registry subject of type PROTOBUF ({ registry, subject, version }); a schema file or inline fields cannot decode them',
    ]);
    expect(
      errorsOf(
        withSchema(ref, s => {
          s.format = 'protobuf';
          s.avro_wire_format = 'confluent';
        }),
      ),
    ).toEqual([
      'pipeline.source.avro_wire_format: is for Avro payloads: Protobuf records read with a schema registry subject are in the Confluent wire format (magic byte, schema id, message indexes, message); leave it out',
    ]);
    expect(errorsOf(withSchema({ ...ref, message: 'Order' }))).toEqual([
      'pipeline.source.schema.message: names a Protobuf message: it is for Protobuf payloads (format: protobuf); leave it out',
    ]);
    expect(
      errorsOf(
        withSchema({ ...ref, message: 'Order..Line' }, s => {
          s.format = 'protobuf';
        }),
      ),
    ).toEqual([
      'pipeline.source.schema.message: expected the name of a message in the .proto, such as Order (or Order.Line for a nested one)',
    ]);
  });

  it('keeps the file form and its file', () => {
    const file = withSchema('./schemas/user_event.avsc');
    expect(errorsOf(file)).toEqual([]);
    expect(sourceSchemaFile(file.spec!.pipeline.source)).toBe(
      'schemas/user_event.avsc',
    );
    expect(sourceSchemaFile(reference.pipeline.source)).toBe(
      'schemas/user_event.avsc',
    );
  });
});
