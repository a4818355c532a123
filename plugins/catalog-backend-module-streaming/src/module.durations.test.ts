import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { StreamingPipelineProcessor } from './processor/StreamingPipelineProcessor';
import { SchemaSubjectProcessor } from './providers/SchemaSubjectProcessor';

const fromConfig = (data: JsonObject) => {
  const config = mockServices.rootConfig({ data });
  const logger = mockServices.logger.mock();
  logger.child.mockReturnValue(logger);
  StreamingPipelineProcessor.fromConfig(config, {
    reader: mockServices.urlReader.mock(),
    logger,
    cache: mockServices.cache.mock(),
  });
  SchemaSubjectProcessor.fromConfig(config, { logger });
  return logger.warn.mock.calls.map(([message]) => message);
};

describe("the catalog module's durations", () => {
  it('reads them in the object, string or ISO 8601 form', () => {
    expect(
      fromConfig({
        catalog: {
          processors: { streamingPipeline: { checkpointClaimTtl: '20m' } },
          providers: { streamingSchemaRegistry: { subjectsCacheTtl: 'PT0S' } },
        },
      }),
    ).toEqual([]);
    expect(
      fromConfig({
        catalog: {
          processors: {
            streamingPipeline: { checkpointClaimTtl: { minutes: 20 } },
          },
        },
      }),
    ).toEqual([]);
  });

  it('fails at startup on a bad duration, naming the key', () => {
    expect(() =>
      fromConfig({
        catalog: {
          processors: { streamingPipeline: { checkpointClaimTtl: 900 } },
        },
      }),
    ).toThrow("'catalog.processors.streamingPipeline.checkpointClaimTtl'");
    expect(() =>
      fromConfig({
        catalog: {
          providers: { streamingSchemaRegistry: { subjectsCacheTtl: 'later' } },
        },
      }),
    ).toThrow(
      "Invalid duration 'later' in config at 'catalog.providers.streamingSchemaRegistry.subjectsCacheTtl'",
    );
  });

  it('still reads the renamed number-of-seconds keys, warning with the keys that replaced them', () => {
    expect(
      fromConfig({
        catalog: {
          processors: { streamingPipeline: { checkpointClaimSeconds: 1200 } },
          providers: { streamingSchemaRegistry: { subjectsCacheSeconds: 30 } },
        },
      }),
    ).toEqual([
      'The catalog.processors.streamingPipeline.checkpointClaimSeconds configuration key is deprecated and will be removed; use catalog.processors.streamingPipeline.checkpointClaimTtl instead, a duration such as { seconds: 1200 }',
      'The catalog.providers.streamingSchemaRegistry.subjectsCacheSeconds configuration key is deprecated and will be removed; use catalog.providers.streamingSchemaRegistry.subjectsCacheTtl instead, a duration such as { seconds: 30 }',
    ]);
  });
});
