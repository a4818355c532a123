import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import {
  databaseTableEntityName,
  deltaTableEntityName,
  deriveEntityName,
  elasticsearchIndexEntityName,
  kafkaConnectorEntityName,
  kafkaTopicEntityName,
  schemaEntityName,
} from './entityNames';

const isValidName = (name: string) =>
  KubernetesValidatorFunctions.isValidObjectName(name);

describe('entity names', () => {
  it('keeps simple physical names readable', () => {
    expect(kafkaTopicEntityName('local', 'events')).toBe('topic.local.events');
    expect(kafkaTopicEntityName('local', 'dbserver1.public.users')).toBe(
      'topic.local.dbserver1.public.users',
    );
    expect(kafkaTopicEntityName('eu-west', 'app_logs')).toBe(
      'topic.eu-west.app_logs',
    );
    expect(deltaTableEntityName('/data/delta/event_summary')).toBe(
      'delta.data.delta.event_summary',
    );
    expect(deltaTableEntityName('/data/delta/event_summary/')).toBe(
      'delta.data.delta.event_summary',
    );
    expect(deltaTableEntityName('s3a://lake/silver/orders')).toBe(
      'delta-s3a.lake.silver.orders',
    );
    expect(elasticsearchIndexEntityName('app-logs-errors')).toBe(
      'es.app-logs-errors',
    );
    expect(databaseTableEntityName('accounts', 'public.users')).toBe(
      'db.accounts.public.users',
    );
    expect(kafkaConnectorEntityName('local', 'cdc-postgres-users')).toBe(
      'connector.local.cdc-postgres-users',
    );
    // Connector names are free text in Kafka Connect.
    expect(kafkaConnectorEntityName('local', 'Users CDC')).toMatch(
      /^connector\.local-users-cdc--[0-9a-f]{12}$/,
    );
  });

  it('adds a hash when the spelling would lose information', () => {
    const upper = kafkaTopicEntityName('local', 'Events');
    expect(upper).toMatch(/^topic\.local-events--[0-9a-f]{12}$/);
    expect(upper).not.toBe(kafkaTopicEntityName('local', 'events'));
    expect(kafkaTopicEntityName('local', 'a..b')).toMatch(/--[0-9a-f]{12}$/);
    expect(kafkaTopicEntityName('local', 'a--b')).toMatch(/--[0-9a-f]{12}$/);
    expect(kafkaTopicEntityName('local', '_private')).toMatch(
      /--[0-9a-f]{12}$/,
    );
  });

  it('is deterministic', () => {
    expect(kafkaTopicEntityName('local', 'Orders.V2')).toBe(
      kafkaTopicEntityName('local', 'Orders.V2'),
    );
    expect(schemaEntityName('file:/repo/schemas/order.avsc')).toBe(
      schemaEntityName('file:/repo/schemas/order.avsc'),
    );
  });

  it('never gives two identities the same name', () => {
    const identities: Array<[string, string]> = [
      ['a.b', 'c'],
      ['a', 'b.c'],
      ['a', 'b_c'],
      ['a', 'b-c'],
      ['a-b', 'c'],
      ['a', 'B.c'],
      ['a', 'b.C'],
      ['A', 'b.c'],
      ['a', 'b..c'],
      ['a', 'b.c.'],
      ['a', 'b'],
      ['a', 'b--c'],
    ];
    const names = identities.map(([cluster, topic]) =>
      kafkaTopicEntityName(cluster, topic),
    );
    expect(new Set(names).size).toBe(identities.length);

    const kinds = [
      kafkaTopicEntityName('local', 'events'),
      deltaTableEntityName('/local/events'),
      elasticsearchIndexEntityName('events', 'local'),
      databaseTableEntityName('local', 'events'),
    ];
    expect(new Set(kinds).size).toBe(kinds.length);

    expect(deltaTableEntityName('/data/x')).not.toBe(
      deltaTableEntityName('data/x'),
    );
    expect(deltaTableEntityName('/data.x')).not.toBe(
      deltaTableEntityName('/data/x'),
    );
    expect(deltaTableEntityName('s3://a/b')).not.toBe(
      deltaTableEntityName('/s3/a/b'),
    );
    expect(deltaTableEntityName('x')).not.toBe(deltaTableEntityName('/x'));
    expect(deltaTableEntityName('/x//y/')).toBe(deltaTableEntityName('/x/y'));
  });

  it('keeps every name within the catalog rules, long or odd', () => {
    const long = 'x'.repeat(249);
    const samples = [
      kafkaTopicEntityName('local', long),
      kafkaTopicEntityName('local', `${long.slice(1)}y`),
      kafkaTopicEntityName('local', '...'),
      kafkaTopicEntityName('a cluster with spaces', 'Événements'),
      kafkaTopicEntityName('local', `prefix.${'segment.'.repeat(20)}end`),
      deltaTableEntityName(
        `abfss://container@account.dfs.core.windows.net/${long}`,
      ),
      deltaTableEntityName('/'),
      elasticsearchIndexEntityName('logs-2024.01.01', 'http://es:9200'),
      databaseTableEntityName('accounts', 'public."Users"'),
      schemaEntityName(
        'https://github.com/acme/pipelines/blob/main/orders/schemas/order.schema.json',
      ),
      schemaEntityName('file:/repo/schemas/user_event.avsc'),
    ];
    for (const name of samples) {
      expect({ name, valid: isValidName(name) }).toEqual({
        name,
        valid: true,
      });
    }
    expect(samples[0]).not.toBe(samples[1]);
    expect(samples[samples.length - 1]).toMatch(
      /^schema\.user-event--[0-9a-f]{12}$/,
    );
  });

  it('rejects an invalid prefix', () => {
    expect(() => deriveEntityName('Bad Prefix', ['x'])).toThrow(TypeError);
    expect(() => deriveEntityName('topic', [])).toThrow(TypeError);
  });
});
