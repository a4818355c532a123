import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  parsePipelineSpec,
  formatSpecError,
  registrySchemaFile,
} from '@internal/plugin-streaming-common';
import type {
  PipelineSpec,
  SchemaRegistryClient,
} from '@internal/plugin-streaming-common';
import { renderPipeline } from '../../renderPipeline';
import { progressSummary } from './progressSummary';
import type { ProgressSummary, QueryProgress } from './progressSummary';
import { repoRoot } from './repoRoot';
import { SparkJob } from './SparkJob';
import type { TestKafka } from '@internal/plugin-streaming-node/testUtils';
import {
  StopWaiting,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';

/**
 * One generated pipeline under test: its spec rendered with the codegen into a folder of
 * its own (`.cache/pipeline-e2e/NAME-RUN`, removed by `cleanUp` after a passing test), its own
 * topics (source, progress, Kafka sink) named after the run, and its job started and
 * stopped for real. The job's settings are overridden through the environment variables
 * the generated job reads, exactly as a deployment would.
 */
export class PipelineRun {
  /**
   * Renders the spec and creates the topics. `specFile` is where the spec lives: a
   * `schemas/` folder beside it is copied into the rendered repository.
   */
  static async create(options: {
    kafka: TestKafka;
    specText: string;
    specFile?: string;
    sourcePartitions: number;
  }): Promise<PipelineRun> {
    const spec = parseSpec(options.specText);
    const run = `${Date.now().toString(36)}${Math.floor(
      Math.random() * 1296,
    ).toString(36)}`;
    const dir = resolve(
      repoRoot,
      '.cache/pipeline-e2e',
      `${spec.pipeline.name}-${run}`,
    );
    writeFiles(dir, spec);
    const schemas =
      options.specFile && join(dirname(options.specFile), 'schemas');
    if (schemas && existsSync(schemas))
      cpSync(schemas, join(dir, 'schemas'), { recursive: true });

    const pipelineRun = new PipelineRun(options.kafka, spec, dir, run);
    await options.kafka.createTopic(
      pipelineRun.sourceTopic,
      options.sourcePartitions,
    );
    await options.kafka.createTopic(pipelineRun.progressTopic, 1);
    if (pipelineRun.sinkTopic)
      await options.kafka.createTopic(pipelineRun.sinkTopic, 1);
    if (pipelineRun.deadLetterTopic)
      await options.kafka.createTopic(pipelineRun.deadLetterTopic, 1);
    return pipelineRun;
  }

  readonly sourceTopic: string;
  readonly progressTopic: string;
  readonly sinkTopic: string | undefined;
  readonly sinkPath: string;
  /** The dead-letter topic (a spec with a Kafka dead-letter target) or table. */
  readonly deadLetterTopic: string | undefined;
  readonly deadLetterPath: string;
  private job: SparkJob | undefined;
  private starts = 0;

  private constructor(
    private readonly kafka: TestKafka,
    public spec: PipelineSpec,
    readonly dir: string,
    readonly run: string,
  ) {
    const { source, sink } = spec.pipeline;
    this.sourceTopic = `e2e-${run}-${
      source.type === 'delta' ? 'source' : source.topic
    }`;
    this.progressTopic = `e2e-${run}-progress`;
    this.sinkTopic =
      sink.type === 'kafka' ? `e2e-${run}-${sink.topic}` : undefined;
    this.sinkPath = join(dir, 'table');
    const deadLetter = spec.pipeline.dead_letter;
    this.deadLetterTopic =
      deadLetter?.type === 'kafka'
        ? `e2e-${run}-${deadLetter.topic}`
        : undefined;
    this.deadLetterPath = join(dir, 'dead-letter-table');
  }

  get name(): string {
    return this.spec.pipeline.name;
  }

  /** The overrides a deployment would set: local broker, run-specific topics and paths. */
  private env(): Record<string, string> {
    return {
      KAFKA_BOOTSTRAP_SERVERS: this.kafka.broker,
      PIPELINE_SOURCE_TOPIC: this.sourceTopic,
      PIPELINE_CHECKPOINT: join(this.dir, 'checkpoint'),
      PIPELINE_SINK_PATH: this.sinkPath,
      ...(this.sinkTopic ? { PIPELINE_SINK_TOPIC: this.sinkTopic } : {}),
      ...(this.deadLetterTopic
        ? { PIPELINE_DEAD_LETTER_TOPIC: this.deadLetterTopic }
        : {}),
      ...(this.spec.pipeline.dead_letter?.type === 'delta'
        ? { PIPELINE_DEAD_LETTER_PATH: this.deadLetterPath }
        : {}),
      STREAMING_PROGRESS_TOPIC: this.progressTopic,
      PIPELINE_STOP_TIMEOUT_SECONDS: '60',
    };
  }

  /**
   * Renders a changed spec of the same pipeline over the job's files (as a redeployment
   * would); topics, checkpoint and table stay. Takes effect at the next `start`.
   */
  update(specText: string): void {
    const spec = parseSpec(specText);
    if (spec.pipeline.name !== this.name)
      throw new Error(`the update renames ${this.name}`);
    writeFiles(this.dir, spec);
    this.spec = spec;
  }

  /**
   * Keeps the version of the registry subject the spec reads in the repository
   * (`schemas/<subject>.<avsc|schema.json|proto>`), read from the registry, as
   * streaming:pipeline:render does.
   */
  async keepRegistrySchema(client: SchemaRegistryClient): Promise<void> {
    const { source } = this.spec.pipeline;
    if (source.type !== 'kafka' || typeof source.schema !== 'object')
      throw new Error(`${this.name} does not read a registry subject`);
    const { subject, version } = source.schema;
    const { schema } = await client.getVersion(subject, version);
    const file = join(this.dir, registrySchemaFile(subject, source.format));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, schema);
  }

  /**
   * Starts the generated job (job/main.py); the checkpoint carries over between starts.
   * `env` adds settings (e.g. the search sink's nodes and index).
   */
  start(env: Record<string, string> = {}): void {
    if (this.job?.running) throw new Error(`${this.name} is already running`);
    this.starts += 1;
    this.job = SparkJob.start({
      jobFile: join(this.dir, 'job/main.py'),
      env: { ...this.env(), ...env },
      logFile: join(this.dir, `job-${this.starts}.log`),
    });
  }

  /**
   * Waits until the job exits by itself (a spec with `trigger: available_now` stops once it
   * has read everything there was at its start); its exit code.
   */
  async finished(): Promise<number | null | undefined> {
    return this.job?.finished();
  }

  /** Stops the job gracefully (the running micro-batch completes). */
  async stop(): Promise<void> {
    await this.job?.stop();
  }

  /** The progress events this pipeline published so far. */
  async progress(): Promise<ProgressSummary> {
    return progressSummary(
      await this.kafka.readAll(this.progressTopic),
      this.name,
      this.sourceTopic,
    );
  }

  /**
   * Waits until the query has read the source topic to its end (the newest progress
   * event's end offsets are the topic's end offsets) and `settled` holds for the newest
   * event; fails at once when the job exits.
   */
  async waitProcessed(
    settled: (last: QueryProgress) => boolean = () => true,
    timeoutMs = 600_000,
  ): Promise<ProgressSummary> {
    const end = await this.kafka.endOffsets(this.sourceTopic);
    let state = 'no progress event yet';
    return waitFor(
      `${this.name} to process ${this.sourceTopic} up to ${JSON.stringify(
        end,
      )}`,
      async () => {
        const failure = this.job?.failure();
        if (failure) throw new StopWaiting(failure);
        const summary = await this.progress();
        state = `${
          summary.events
        } progress events, last end offsets ${JSON.stringify(
          summary.lastEndOffsets,
        )}`;
        const caughtUp = Object.entries(end).every(
          ([p, o]) => o === 0 || summary.lastEndOffsets[p] === o,
        );
        return caughtUp && summary.last && settled(summary.last)
          ? summary
          : undefined;
      },
      {
        timeoutMs,
        intervalMs: 2000,
        state: () => `${state}\n${this.job?.tail(20) ?? ''}`,
      },
    ).catch(error => {
      throw new Error(`${error.message}\n(job log: ${this.job?.logFile})`);
    });
  }

  /** Stops the job and removes the rendered repository, checkpoint and table. */
  async cleanUp(keepFiles: boolean): Promise<void> {
    await this.stop();
    if (!keepFiles) rmSync(this.dir, { recursive: true, force: true });
  }
}

function parseSpec(specText: string): PipelineSpec {
  const parsed = parsePipelineSpec(specText);
  if (!parsed.spec || parsed.errors.length > 0) {
    throw new Error(
      `invalid spec: ${parsed.errors.map(formatSpecError).join('; ')}`,
    );
  }
  return parsed.spec;
}

/** Writes the files the codegen renders for the spec into `dir`. */
function writeFiles(dir: string, spec: PipelineSpec): void {
  for (const file of renderPipeline(spec)) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
}
