/**
 * One partition of a topic as last observed: metadata and offsets.
 *
 * @public
 */
export interface ObservedPartition {
  partition: number;
  leader: number | null;
  replicas: number[];
  isr: number[];
  earliest?: string;
  latest?: string;
  /** Why the offsets are missing or stale (no leader, broker failed). */
  error?: string;
}

/**
 * A topic as last observed.
 *
 * @public
 */
export interface ObservedTopic {
  topic: string;
  exists: boolean;
  partitions: ObservedPartition[];
  /** When offsets were seen going backwards: the topic was deleted and created again. */
  recreatedAt?: string;
}

/**
 * A head position of a partition at a time (epoch ms).
 *
 * @public
 */
export interface OffsetObservation {
  offset: number;
  time: number;
}

/**
 * What a cluster's cache holds for a request.
 *
 * @public
 */
export interface ClusterOffsets {
  cluster: string;
  topics: Map<string, ObservedTopic>;
  /** group -> topic -> partition -> committed offset (`-1`: none). */
  groups: Map<string, Map<string, Map<number, string>>>;
  /** Last poll that reached the cluster. */
  observedAt?: Date;
  /** Error of the last poll, when it failed fully or partly. */
  error?: string;
}

/**
 * Latest and committed offsets of Kafka topics, polled in the background and
 * served from a cache. Swappable through the plugin's extension point.
 *
 * @public
 */
export interface OffsetSource {
  /**
   * Cached offsets of topics and consumer groups of a cluster. Topics and
   * groups not polled yet join the polled set and are read before answering.
   */
  getOffsets(request: {
    cluster: string;
    topics: string[];
    groups?: string[];
  }): Promise<ClusterOffsets>;
  /** Observations of a partition's head, oldest first. */
  headHistory(
    cluster: string,
    topic: string,
    partition: number,
  ): ReadonlyArray<OffsetObservation>;
  /**
   * Every topic of a cluster with its partition count, for pickers. Optional:
   * without it `GET /topics?cluster=` answers 501.
   */
  listTopics?(
    cluster: string,
  ): Promise<Array<{ name: string; partitions: number }>>;
}
