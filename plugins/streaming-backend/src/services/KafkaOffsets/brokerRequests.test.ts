import { brokerRequests, RequestEvent } from './brokerRequests';

const event = (
  broker: string,
  apiName: string,
  sentAt: number,
  duration: number,
): RequestEvent => ({ broker, apiName, apiVersion: 1, sentAt, duration });

describe('brokerRequests', () => {
  it('counts requests per broker and API, and the longest chain of requests each sent after the previous answer', () => {
    // Events in the order kafkajs emits them: as answers arrive.
    const stats = brokerRequests([
      event('a:9092', 'Metadata', 100, 4), // answered at 104
      event('b:9092', 'FindCoordinator', 100, 6), // answered at 106
      event('a:9092', 'OffsetFetch', 105, 2), // sent after Metadata
      event('b:9092', 'OffsetFetch', 107, 1),
      event('a:9092', 'ListOffsets', 105, 5), // sent with the OffsetFetch
      event('a:9092', 'ListOffsets', 105, 6),
    ]);
    expect(stats).toEqual({
      'a:9092': {
        total: 4,
        byApi: { 'Metadata v1': 1, 'OffsetFetch v1': 1, 'ListOffsets v1': 2 },
        roundTrips: { atLeast: 2, atMost: 2 },
      },
      'b:9092': {
        total: 2,
        byApi: { 'FindCoordinator v1': 1, 'OffsetFetch v1': 1 },
        roundTrips: { atLeast: 2, atMost: 2 },
      },
    });
  });

  it('gives both readings when a request went out in the millisecond another was answered', () => {
    const stats = brokerRequests([
      event('a:9092', 'Metadata', 100, 0), // answered at 100
      event('a:9092', 'ListOffsets', 100, 3), // sent at 100: before or after?
      event('a:9092', 'OffsetFetch', 104, 1), // certainly after both
    ]);
    expect(stats['a:9092'].roundTrips).toEqual({ atLeast: 2, atMost: 3 });
  });
});
