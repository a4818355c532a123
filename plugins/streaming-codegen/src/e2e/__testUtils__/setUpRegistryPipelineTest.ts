import {
  TestKafka,
  TestSchemaRegistry,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import type { TopicRecord } from '@internal/plugin-streaming-node/testUtils';
import { DeltaReader } from './DeltaReader';
import { PipelineRun } from './PipelineRun';

/**
 * What the end-to-end test of a pipeline reading a registry subject works with: the
 * broker, the registry (with a subject of the test's own), a Delta reader, and the
 * pipeline once deployed.
 */
export interface RegistryPipelineTest {
  kafka: TestKafka;
  registry: TestSchemaRegistry;
  reader: DeltaReader;
  /** The test's subject, deleted after the tests. */
  subject: string;
  /** Set by `deploy`. */
  pipeline: PipelineRun;
  /** Set by the test when it passed: a passing run's folder is removed, a failing one's kept. */
  passed: boolean;
  /**
   * Renders the spec pinned to `version` of the subject (the first time with topics of
   * its own, then over the same job's files, as a redeployment) and keeps that version's
   * schema in the repository, read from the registry, as the scaffolder does.
   */
  deploy(version: number): Promise<void>;
  /** Writes the values to the source topic, keyed k0, k1, …. */
  produce(values: Buffer[]): Promise<void>;
  /** The Delta table's rows, sorted by the `sortBy` column. */
  tableRows(sortBy: string): Promise<Record<string, unknown>[]>;
  /** The dead-letter topic's records, once it holds at least `count`. */
  deadLetters(count: number): Promise<TopicRecord[]>;
}

/**
 * Sets up the test of a pipeline that reads a registry subject: before the tests the
 * shared broker, the registry and a Delta reader, and a subject named after
 * `subjectPrefix`; after them the pipeline's clean-up (its folder kept unless `passed`),
 * the subject deleted, the reader and the broker connection closed. `specText` gives the
 * spec for the subject pinned to a version.
 */
export function setUpRegistryPipelineTest(
  subjectPrefix: string,
  specText: (subject: string, version: number) => string,
): RegistryPipelineTest {
  const test = { passed: false } as RegistryPipelineTest;
  beforeAll(async () => {
    // The reader's Spark starts beside the pipeline's job; the first read waits for it.
    test.reader = DeltaReader.starting();
    [test.kafka, test.registry] = await Promise.all([
      TestKafka.start(),
      TestSchemaRegistry.start(),
    ]);
    test.subject = test.registry.uniqueSubject(subjectPrefix);
  });
  afterAll(async () => {
    await test.pipeline?.cleanUp(!test.passed);
    await test.reader?.close();
    await test.kafka?.close();
    if (test.subject)
      await test.registry?.client.deleteSubject(test.subject).catch(() => {});
  });
  test.deploy = async version => {
    const text = specText(test.subject, version);
    if (test.pipeline) test.pipeline.update(text);
    else
      test.pipeline = await PipelineRun.create({
        kafka: test.kafka,
        specText: text,
        sourcePartitions: 1,
      });
    await test.pipeline.keepRegistrySchema(test.registry.client);
  };
  test.produce = async values => {
    await test.kafka.producer.send({
      topic: test.pipeline.sourceTopic,
      acks: -1,
      messages: values.map((value, i) => ({ key: `k${i}`, value })),
    });
  };
  test.tableRows = async sortBy => {
    const rows = await test.reader.read(test.pipeline.sinkPath);
    return rows
      .map(r => ({ ...r }))
      .sort((a, b) => String(a[sortBy]).localeCompare(String(b[sortBy])));
  };
  test.deadLetters = count =>
    waitFor(
      `${count} records in the dead-letter topic`,
      async () => {
        const records = await test.kafka.readAll(
          test.pipeline.deadLetterTopic!,
        );
        return records.length >= count ? records : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 2000 },
    );
  return test;
}
