/* eslint-disable @typescript-eslint/no-require-imports */
import fs from 'node:fs';
import path from 'node:path';
import {
  findRepoRoot,
  sharedBroker,
} from '@internal/plugin-streaming-node/testUtils';
import {
  apiKeys,
  Cluster,
  createErrorFromCode,
  createLogger,
  createSocketFactory,
  Decoder,
  Encoder,
  InstrumentationEventEmitter,
  KAFKAJS_VERSION,
  KafkaJsBroker,
  LEVELS,
  requests,
} from './kafkajsInternals';

const repoRoot = findRepoRoot();

/**
 * Each check names the internal it is about; a failing run lists every one
 * that moved, so an upgrade of kafkajs shows what to rewrite.
 */
function problems(checks: Array<[string, boolean]>): string[] {
  return checks.filter(([, ok]) => !ok).map(([what]) => what);
}

const methods = (prototype: object, names: string[]) =>
  names.map((name): [string, boolean] => [
    `${prototype.constructor.name}.prototype.${name} is a function`,
    typeof (prototype as Record<string, unknown>)[name] === 'function',
  ]);

describe(`the kafkajs ${KAFKAJS_VERSION} internals of the offset source`, () => {
  it('are those of the installed kafkajs, pinned exactly wherever kafkajs is a dependency', () => {
    const installed = require('kafkajs/package.json').version;
    expect(`kafkajs ${installed} is installed`).toBe(
      `kafkajs ${KAFKAJS_VERSION} is installed`,
    );
    const manifests = ['plugins', 'packages']
      .flatMap(folder =>
        fs
          .readdirSync(path.join(repoRoot, folder))
          .map(name => path.join(folder, name, 'package.json')),
      )
      .concat('package.json')
      .filter(file => fs.existsSync(path.join(repoRoot, file)));
    const ranges = manifests.flatMap(file => {
      const manifest = JSON.parse(
        fs.readFileSync(path.join(repoRoot, file), 'utf8'),
      );
      return ['dependencies', 'devDependencies', 'peerDependencies']
        .map(kind => manifest[kind]?.kafkajs)
        .filter(Boolean)
        .map(range => `${file}: kafkajs ${range}`);
    });
    expect(ranges.length).toBeGreaterThan(0);
    expect(
      ranges.filter(r => !r.endsWith(`kafkajs ${KAFKAJS_VERSION}`)),
    ).toEqual([]);
  });

  it('export the modules, classes and values the offset source uses', () => {
    const encoder = new Encoder();
    const decoder = new Decoder(Buffer.alloc(0));
    expect(
      problems([
        ['kafkajs/src/cluster exports a class', typeof Cluster === 'function'],
        ...methods(Cluster.prototype, [
          'connect',
          'disconnect',
          'refreshMetadata',
          'refreshMetadataIfNecessary',
          'findBroker',
        ]),
        ...methods(require('kafkajs/src/cluster/brokerPool').prototype, [
          'withBroker',
        ]),
        ...methods(require('kafkajs/src/network/connectionPool').prototype, [
          'send',
        ]),
        ...methods(require('kafkajs/src/broker').prototype, ['fetch']),
        [
          'kafkajs/src/loggers exports createLogger',
          typeof createLogger === 'function',
        ],
        ['kafkajs/src/loggers LEVELS.NOTHING is 0', LEVELS?.NOTHING === 0],
        [
          'kafkajs/src/network/socketFactory exports a function',
          typeof createSocketFactory === 'function',
        ],
        [
          'kafkajs/src/instrumentation/emitter exports a class',
          typeof InstrumentationEventEmitter === 'function',
        ],
        ['apiKeys.Metadata is 3', apiKeys.Metadata === 3],
        ['apiKeys.ListOffsets is 2', apiKeys.ListOffsets === 2],
        ['apiKeys.OffsetFetch is 9', apiKeys.OffsetFetch === 9],
        ['apiKeys.GroupCoordinator is 10', apiKeys.GroupCoordinator === 10],
        ...(['Metadata', 'ListOffsets'] as const).map(
          (name): [string, boolean] => [
            `requests.${name} has protocol versions`,
            typeof (requests[name] as { protocol?: unknown })?.protocol ===
              'function',
          ],
        ),
        ...methods(Object.getPrototypeOf(encoder), [
          'writeInt8',
          'writeInt16',
          'writeInt32',
          'writeUVarInt',
          'writeUVarIntString',
          'writeUVarIntArray',
          'writeEncoder',
        ]),
        ...methods(Object.getPrototypeOf(decoder), [
          'readInt16',
          'readInt32',
          'readInt64',
          'readUVarIntString',
          'readUVarIntArray',
          'readTaggedFields',
        ]),
        [
          'createErrorFromCode(16).type is NOT_COORDINATOR_FOR_GROUP',
          createErrorFromCode(16).type === 'NOT_COORDINATOR_FOR_GROUP',
        ],
      ]),
    ).toEqual([]);
  });

  it('connect to the real broker, send a request without the error check, report it as an instrumentation event, and find a version the broker accepts for every API kafkajs implements', async () => {
    const broker = await sharedBroker();
    const events: Array<Record<string, unknown>> = [];
    const emitter = new InstrumentationEventEmitter();
    emitter.addListener('network.request', ({ payload }) =>
      events.push(payload),
    );
    const cluster = new Cluster({
      brokers: [broker],
      clientId: 'kafkajs-internals-test',
      connectionTimeout: 3000,
      requestTimeout: 10000,
      logger: createLogger({
        level: LEVELS.NOTHING,
        logCreator: () => () => undefined,
      }),
      socketFactory: createSocketFactory(),
      metadataMaxAge: 300_000,
      allowAutoTopicCreation: false,
      isolationLevel: 0,
      instrumentationEmitter: emitter,
    });
    try {
      await cluster.connect();
      await cluster.refreshMetadata();
      let seen: KafkaJsBroker | undefined;
      await cluster.brokerPool.withBroker(async ({ broker: b }) => {
        seen = b;
      });
      expect(seen).toBeDefined();
      const b = seen!;
      const request = b.lookupRequest(
        apiKeys.Metadata,
        requests.Metadata,
      )({ topics: [], allowAutoTopicCreation: false });
      const answer = await b.connectionPool.send({
        ...request,
        response: { ...request.response, parse: async (data: unknown) => data },
      });
      expect(
        problems([
          [
            'broker.versions lists the Metadata versions',
            typeof b.versions?.[apiKeys.Metadata]?.maxVersion === 'number',
          ],
          [
            'a looked-up request has request.encode and response.decode/parse',
            typeof request?.request?.encode === 'function' &&
              typeof request?.response?.decode === 'function' &&
              typeof request?.response?.parse === 'function',
          ],
          [
            'a Metadata answer has brokers and topicMetadata',
            Array.isArray(answer?.brokers) &&
              Array.isArray(answer?.topicMetadata),
          ],
          ...['broker', 'apiName', 'apiVersion', 'sentAt', 'duration'].map(
            (field): [string, boolean] => [
              `the network.request event has ${field}`,
              events.length > 0 && events.every(e => field in e),
            ],
          ),
        ]),
      ).toEqual([]);
      // Kafka 4 removed the protocol versions older than Kafka 2.1's
      // (KIP-896): every API kafkajs implements must keep one the broker
      // accepts, so no kafkajs call can land on a removed version.
      const definitions: Record<string, { versions: string[] }> =
        require('kafkajs/src/protocol/requests').requests;
      const keys: Record<
        string,
        number
      > = require('kafkajs/src/protocol/requests/apiKeys');
      const unusable = Object.entries(definitions).flatMap(
        ([name, { versions }]) => {
          const implemented = versions.map(Number);
          const accepted = b.versions?.[keys[name]];
          // Broker-to-broker APIs and ones kafkajs only declares are never sent.
          if (implemented.length === 0 || !accepted) return [];
          return implemented.some(
            v => accepted.minVersion <= v && v <= accepted.maxVersion,
          )
            ? []
            : [
                `${name}: kafkajs sends v${implemented.join(
                  ', v',
                )}, the broker accepts v${accepted.minVersion}-v${
                  accepted.maxVersion
                }`,
              ];
        },
      );
      expect(unusable).toEqual([]);
    } finally {
      await cluster.disconnect();
    }
  });
});
