import {
  ClusterOffsets,
  OffsetObservation,
} from '@internal/plugin-streaming-node';
import { StreamingConfig } from '../../config/StreamingConfig';

/**
 * What one poll of one cluster knows: the offsets, the errors of groups and
 * of the poll as a whole, and the head history of each partition (keyed by
 * {@link headKey}) that turns lag into seconds and shows a recreated topic.
 * The poller keeps it in memory; the replica that polls stores it for the
 * others (`OffsetsSnapshotStore`).
 */
export interface OffsetsSnapshot {
  snapshot: ClusterOffsets;
  /** Error of each group's last read; partition errors stay in the snapshot. */
  groupErrors: Map<string, string>;
  /** Why the last poll failed as a whole (the cluster, not a name). */
  failure?: string;
  heads: Map<string, OffsetObservation[]>;
}

/** The key of a partition's head history in {@link OffsetsSnapshot.heads}. */
export const headKey = (topic: string, partition: number) =>
  `${topic}\u0000${partition}`;

/** The names of an offsets request. */
export interface OffsetsRequest {
  cluster: string;
  topics: string[];
  groups?: string[];
}

/** Errors of a request asking for more names than one pipeline may poll. */
export function requestLimitErrors(
  limits: StreamingConfig['lag'],
  request: { topics: string[]; groups: string[] },
): string[] {
  const { maxTopicsPerPipeline, maxGroupsPerPipeline } = limits;
  const errors: string[] = [];
  if (request.topics.length > maxTopicsPerPipeline) {
    errors.push(
      `Polling only the first ${maxTopicsPerPipeline} topics (streaming.lag.maxTopicsPerPipeline)`,
    );
  }
  if (request.groups.length > maxGroupsPerPipeline) {
    errors.push(
      `${
        errors.length ? 'only' : 'Polling only'
      } the first ${maxGroupsPerPipeline} consumer groups (streaming.lag.maxGroupsPerPipeline)`,
    );
  }
  return errors;
}

/**
 * The answer to a request from a snapshot: only the names asked for, and
 * only their errors (at most five, after `errors` of the request itself).
 */
export function answerFromSnapshot(
  { snapshot, groupErrors, failure }: OffsetsSnapshot,
  request: OffsetsRequest,
  errors: string[],
): ClusterOffsets {
  const topics = new Map(
    request.topics.flatMap(t => {
      const topic = snapshot.topics.get(t);
      return topic ? [[t, topic] as const] : [];
    }),
  );
  const groups = new Map(
    (request.groups ?? []).flatMap(g => {
      const group = snapshot.groups.get(g);
      return group ? [[g, group] as const] : [];
    }),
  );
  const all = [
    ...errors,
    ...(failure ? [failure] : []),
    ...[...topics.values()].flatMap(t =>
      t.partitions.flatMap(p =>
        p.error ? [`${t.topic}[${p.partition}]: ${p.error}`] : [],
      ),
    ),
    ...(request.groups ?? []).flatMap(g => {
      const error = groupErrors.get(g);
      return error ? [`group ${g}: ${error}`] : [];
    }),
  ];
  return {
    cluster: snapshot.cluster,
    observedAt: snapshot.observedAt,
    topics,
    groups,
    error: all.length ? all.slice(0, 5).join('; ') : undefined,
  };
}
