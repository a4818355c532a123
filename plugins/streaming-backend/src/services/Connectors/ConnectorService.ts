import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { isError, toError } from '@backstage/errors';
import {
  ConnectorTask,
  PipelineConnector,
  PipelineConnectorsResponse,
  SourceError,
} from '@internal/plugin-streaming-common';
import {
  ConnectorStatusInfo,
  ConnectorStateInfo,
  debeziumCapture,
  KafkaConnectClusters,
  PipelineEntity,
  readOptionalDuration,
  redactCredentials,
} from '@internal/plugin-streaming-node';
import { TtlCache } from '../../lib/TtlCache';

/** A source connector of one Connect cluster and the topics it writes. */
interface SourceConnector {
  connector: Omit<PipelineConnector, 'topics'>;
  topics: Set<string>;
}

/** What one Connect cluster answered, or why it did not. */
type ClusterSnapshot =
  | { connectors: SourceConnector[] }
  | { error: SourceError };

/** A trace's first line (the exception and its message), credentials masked. */
function traceOf(info: ConnectorStateInfo): { trace?: string } {
  if (info.state !== 'FAILED' || !info.trace) return {};
  return { trace: redactCredentials(info.trace.split('\n', 1)[0].trim()) };
}

function describe(
  cluster: string,
  c: ConnectorStatusInfo,
): Omit<PipelineConnector, 'topics'> {
  return {
    cluster,
    name: c.name,
    connectorClass: c.config['connector.class'] ?? 'unknown',
    state: c.connector.state,
    ...(c.connector.workerId ? { workerId: c.connector.workerId } : {}),
    ...traceOf(c.connector),
    tasks: c.tasks.map(
      (t): ConnectorTask => ({
        id: t.id,
        state: t.state,
        ...(t.workerId ? { workerId: t.workerId } : {}),
        ...traceOf(t),
      }),
    ),
  };
}

/**
 * The Kafka Connect source connectors that feed pipelines, from the clusters
 * of `streaming.kafkaConnect.clusters` that write to the pipeline's Kafka
 * cluster (their `kafkaCluster`): a connector feeds a pipeline when it
 * writes one of its source topics, by its config (Debezium's topic naming,
 * so a connector that has not written yet is found) or by the topics Connect
 * saw it write. What a cluster answered, or its failure, is reused for every
 * pipeline for `streaming.connectors.cacheTtl`. Config values are never
 * answered: a password may be among them.
 */
export class ConnectorService {
  static fromConfig(config: Config, logger: LoggerService): ConnectorService {
    return new ConnectorService(
      KafkaConnectClusters.fromConfig(config, { logger }),
      readOptionalDuration(config, 'streaming.connectors.cacheTtl', {
        defaultValue: { seconds: 15 },
        allowZero: true,
        logger,
      }),
      logger,
    );
  }

  private readonly snapshots: TtlCache<ClusterSnapshot>;

  private constructor(
    private readonly clusters: KafkaConnectClusters,
    cacheTtlMs: number,
    private readonly logger: LoggerService,
  ) {
    this.snapshots = new TtlCache(cacheTtlMs);
  }

  /** The connectors writing the pipeline's source topics; a cluster that fails is an entry of `errors`. */
  async getPipelineConnectors(
    pipeline: PipelineEntity,
  ): Promise<PipelineConnectorsResponse> {
    const { source } = pipeline.summary;
    const topics = source.type === 'delta' ? [] : source.topics;
    const answer: PipelineConnectorsResponse = {
      entityRef: pipeline.entityRef,
      connectors: [],
      errors: [],
    };
    if (topics.length === 0) return answer;
    // Only the Connect clusters writing to the pipeline's Kafka cluster.
    const clusters = this.clusters.clusterNames().filter(cluster => {
      const kafka = this.clusters.kafkaCluster(cluster);
      return (
        !pipeline.kafkaCluster || !kafka || kafka === pipeline.kafkaCluster
      );
    });
    const snapshots = await Promise.all(
      clusters.map(cluster =>
        this.snapshots.get(cluster, () => this.readCluster(cluster)),
      ),
    );
    for (const snapshot of snapshots) {
      if ('error' in snapshot) {
        answer.errors.push(snapshot.error);
        continue;
      }
      for (const { connector, topics: written } of snapshot.connectors) {
        const fed = topics.filter(t => written.has(t));
        if (fed.length > 0) {
          answer.connectors.push({ ...connector, topics: fed });
        }
      }
    }
    return answer;
  }

  private async readCluster(cluster: string): Promise<ClusterSnapshot> {
    const client = this.clusters.get(cluster);
    try {
      const sources = (await client.listConnectors()).filter(
        c => c.type === 'source',
      );
      const connectors = await Promise.all(
        sources.map(async (c): Promise<SourceConnector> => {
          const active = await client.connectorTopics(c.name).catch(error => {
            // Topic tracking off (403), or the connector just deleted (404).
            this.logger.debug('No active topics of a Kafka connector', {
              cluster,
              connector: c.name,
              error: toError(error).message,
            });
            return [];
          });
          return {
            connector: describe(cluster, c),
            topics: new Set([...debeziumCapture(c, active).topics, ...active]),
          };
        }),
      );
      return { connectors };
    } catch (error) {
      // fetch's own message is "fetch failed"; its cause says why.
      const { message: what, cause } = toError(error);
      const message = redactCredentials(
        isError(cause) ? `${what}: ${cause.message}` : what,
      );
      this.logger.warn('Kafka Connect cluster did not answer', {
        cluster,
        error: message,
      });
      return { error: { source: `kafka-connect:${cluster}`, message } };
    }
  }
}
