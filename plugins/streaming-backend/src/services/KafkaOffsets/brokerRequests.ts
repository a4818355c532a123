/**
 * One answered request, from the payload of kafkajs' `network.request`
 * instrumentation event (emitted when the answer arrives).
 */
export interface RequestEvent {
  /** `host:port` */
  broker: string;
  apiName: string;
  apiVersion: number;
  /** Epoch milliseconds when the request was written to the socket. */
  sentAt: number;
  /** Milliseconds until the answer arrived. */
  duration: number;
}

/** What one broker was asked. */
export interface BrokerRequests {
  total: number;
  /** Requests per API and version (`OffsetFetch v8`). */
  byApi: Record<string, number>;
  /**
   * Sequential round trips: the longest chain of requests to this broker in
   * which each was sent after the previous one was answered. kafkajs times
   * requests in whole milliseconds, so a request sent in the millisecond in
   * which another was answered may have gone out before or after it:
   * `atMost` counts it as after, `atLeast` as before. They differ only when
   * requests are answered within a millisecond.
   */
  roundTrips: { atLeast: number; atMost: number };
}

/**
 * Requests per broker, per API, and the sequential round trips per broker,
 * from events in the order kafkajs emitted them.
 */
export function brokerRequests(
  events: ReadonlyArray<RequestEvent>,
): Record<string, BrokerRequests> {
  const byBroker = new Map<string, RequestEvent[]>();
  for (const event of events) {
    const list = byBroker.get(event.broker) ?? [];
    list.push(event);
    byBroker.set(event.broker, list);
  }
  return Object.fromEntries(
    [...byBroker].map(([broker, list]) => {
      const byApi: Record<string, number> = {};
      for (const e of list) {
        const api = `${e.apiName} v${e.apiVersion}`;
        byApi[api] = (byApi[api] ?? 0) + 1;
      }
      return [
        broker,
        {
          total: list.length,
          byApi,
          roundTrips: {
            atLeast: longestChain(list, (answered, sent) => answered < sent),
            atMost: longestChain(list, (answered, sent) => answered <= sent),
          },
        },
      ];
    }),
  );
}

/**
 * Events arrive as answers arrive, so their end times never decrease and the
 * requests answered before one was sent are a prefix of the list: the longest
 * chain ending at each request is one more than the best of that prefix.
 */
function longestChain(
  events: RequestEvent[],
  answeredBefore: (answered: number, sent: number) => boolean,
): number {
  const bestUpTo: number[] = [];
  let best = 0;
  events.forEach((event, index) => {
    let low = 0;
    let high = index;
    while (low < high) {
      const middle = (low + high) >> 1;
      const answered = events[middle].sentAt + events[middle].duration;
      if (answeredBefore(answered, event.sentAt)) low = middle + 1;
      else high = middle;
    }
    const chain = 1 + (low > 0 ? bestUpTo[low - 1] : 0);
    best = Math.max(best, chain);
    bestUpTo.push(best);
  });
  return best;
}
