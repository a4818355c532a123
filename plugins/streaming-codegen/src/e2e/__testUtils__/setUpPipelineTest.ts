import { readFileSync } from 'node:fs';
import { TestKafka } from '@internal/plugin-streaming-node/testUtils';
import { DeltaReader } from './DeltaReader';
import { PipelineRun } from './PipelineRun';

/** What a generated pipeline's end-to-end test works with, filled in before its tests. */
export interface PipelineTest {
  kafka: TestKafka;
  reader: DeltaReader;
  pipeline: PipelineRun;
  /** Set by the test when it passed: a passing run's folder is removed, a failing one's kept. */
  passed: boolean;
}

/**
 * Sets up the test of one generated pipeline: before the tests the shared broker, a Delta
 * reader and the pipeline rendered from `specFile` with topics of its own; after them the
 * pipeline's clean-up (its folder kept unless `passed`), the reader and the broker
 * connection closed.
 */
export function setUpPipelineTest(
  specFile: string,
  sourcePartitions: number,
  options: {
    /** The spec to run instead of the file's (e.g. the file's with a setting changed). */
    specText?: string;
  } = {},
): PipelineTest {
  const test = { passed: false } as PipelineTest;
  beforeAll(async () => {
    test.kafka = await TestKafka.start();
    // The reader's Spark starts beside the pipeline's job; the first read waits for it.
    test.reader = DeltaReader.starting();
    test.pipeline = await PipelineRun.create({
      kafka: test.kafka,
      specText: options.specText ?? readFileSync(specFile, 'utf8'),
      specFile,
      sourcePartitions,
    });
  });
  afterAll(async () => {
    await test.pipeline?.cleanUp(!test.passed);
    await test.reader?.close();
    await test.kafka?.close();
  });
  return test;
}
