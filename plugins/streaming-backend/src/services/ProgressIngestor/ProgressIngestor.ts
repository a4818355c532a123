import { LoggerService } from '@backstage/backend-plugin-api';
import { Consumer, EachBatchPayload, Kafka, logLevel } from 'kafkajs';
import {
  KafkaClusterConfig,
  StreamingConfig,
} from '../../config/StreamingConfig';
import { kafkaClientOptions } from '../KafkaOffsets/kafkaClientOptions';
import { parseProgressRecord } from '../ProgressStore/progressEvent';
import { ProgressEntry, ProgressStore } from '../ProgressStore/ProgressStore';

/**
 * Counts of what the progress consumer has read since start.
 *
 * @public
 */
export interface IngestionStats {
  stored: number;
  duplicates: number;
  malformed: number;
  unknown: number;
  /** Parsed, but refused by the database (the others of its batch are stored). */
  rejected: number;
}

/**
 * Consumes the progress topic of every configured Kafka cluster into the
 * {@link ProgressStore}. A malformed or unknown record is counted and
 * skipped, and so is one the database refuses: a record never stops the
 * partition behind it. A consumer that cannot start or crashes is started
 * again after `streaming.progress.restartInitial`, doubled after each
 * failure up to `restartMax`.
 */
export class ProgressIngestor {
  private readonly consumers = new Map<string, Consumer>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Failed starts in a row per cluster: the exponent of the next delay. */
  private readonly failures = new Map<string, number>();
  private stopped = false;
  readonly stats: IngestionStats = {
    stored: 0,
    duplicates: 0,
    malformed: 0,
    unknown: 0,
    rejected: 0,
  };

  constructor(
    private readonly config: StreamingConfig,
    private readonly store: ProgressStore,
    private readonly logger: LoggerService,
    /** Told the queries that have new batches stored, after each consumed batch. */
    private readonly onStored: (queryNames: string[]) => void = () => {},
  ) {}

  /** Starts one consumer per cluster in the background; never throws. */
  start(): void {
    for (const cluster of this.config.kafka.clusters) {
      void this.startCluster(cluster);
    }
  }

  private async startCluster(cluster: KafkaClusterConfig): Promise<void> {
    if (this.stopped) return;
    const logger = this.logger.child({ cluster: cluster.name });
    const consumer = new Kafka({
      ...kafkaClientOptions(cluster),
      logLevel: logLevel.NOTHING,
    }).consumer({
      groupId: this.config.progressConsumerGroup,
      allowAutoTopicCreation: false,
      retry: { retries: 5 },
    });
    this.consumers.set(cluster.name, consumer);
    consumer.on(consumer.events.CRASH, event => {
      if (!event.payload.restart) {
        this.scheduleRestart(cluster, logger, 'Progress consumer stopped', {
          error: event.payload.error.message,
        });
      }
    });
    try {
      await consumer.connect();
      await consumer.subscribe({
        topic: this.config.progressTopic,
        fromBeginning: true,
      });
      await consumer.run({
        eachBatchAutoResolve: true,
        eachBatch: payload => this.handleBatch(payload, logger),
      });
      this.failures.delete(cluster.name);
      logger.info('Consuming progress events', {
        topic: this.config.progressTopic,
      });
    } catch (error) {
      this.scheduleRestart(
        cluster,
        logger,
        'Progress consumer could not start',
        {
          topic: this.config.progressTopic,
          error: (error as Error).message,
        },
      );
    }
  }

  private scheduleRestart(
    cluster: KafkaClusterConfig,
    logger: LoggerService,
    message: string,
    fields: Record<string, string>,
  ) {
    const consumer = this.consumers.get(cluster.name);
    this.consumers.delete(cluster.name);
    const failures = this.failures.get(cluster.name) ?? 0;
    this.failures.set(cluster.name, failures + 1);
    const { restartInitialMs, restartMaxMs } = this.config.progress;
    const delayMs = Math.min(restartInitialMs * 2 ** failures, restartMaxMs);
    logger.warn(`${message}; retrying`, {
      ...fields,
      retryInSeconds: delayMs / 1000,
    });
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      await consumer?.disconnect().catch(() => undefined);
      await this.startCluster(cluster);
    }, delayMs);
    this.timers.add(timer);
  }

  private async handleBatch(
    { batch, resolveOffset, heartbeat }: EachBatchPayload,
    logger: LoggerService,
  ): Promise<void> {
    const entries: ProgressEntry[] = [];
    const now = Date.now();
    for (const message of batch.messages) {
      const parsed = parseProgressRecord(
        message.key?.toString('utf8'),
        message.value?.toString('utf8'),
        { now, limits: this.config.progress },
      );
      if (parsed.kind === 'ok') {
        entries.push({ queryName: parsed.queryName, batch: parsed.batch });
      } else {
        this.stats[parsed.kind] += 1;
        logger.debug(`Skipped a ${parsed.kind} progress record`, {
          partition: batch.partition,
          offset: message.offset,
          reason: parsed.reason,
        });
      }
    }
    let rejected = 0;
    const added = await this.store.addBatches(entries, {
      onRejected: (entry, error) => {
        rejected += 1;
        logger.warn('The database refused a progress record; skipped', {
          partition: batch.partition,
          queryName: entry.queryName,
          batchId: entry.batch.batchId,
          error: error.message,
        });
      },
    });
    if (added > 0) {
      this.onStored([...new Set(entries.map(e => e.queryName))]);
    }
    this.stats.stored += added;
    this.stats.rejected += rejected;
    this.stats.duplicates += entries.length - added - rejected;
    const last = batch.messages[batch.messages.length - 1];
    if (last) resolveOffset(last.offset);
    await heartbeat();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(t => clearTimeout(t));
    this.timers.clear();
    await Promise.allSettled(
      [...this.consumers.values()].map(c => c.disconnect()),
    );
    this.consumers.clear();
  }
}
