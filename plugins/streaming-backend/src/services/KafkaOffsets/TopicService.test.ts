import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readStreamingConfig } from '../../config/StreamingConfig';
import { KafkaOffsetsPoller } from './KafkaOffsetsPoller';
import { TopicService } from './TopicService';

jest.setTimeout(60_000);

describe('TopicService', () => {
  it('answers 503 naming the cluster when it does not answer, and asks again next time', async () => {
    const config = readStreamingConfig(
      new ConfigReader({
        streaming: {
          kafka: {
            // Nothing listens on this port.
            clusters: [
              {
                name: 'down',
                brokers: ['127.0.0.1:1'],
                connectionTimeoutMs: 500,
                requestTimeoutMs: 1000,
              },
            ],
          },
        },
      }),
      mockServices.logger.mock(),
    );
    const poller = new KafkaOffsetsPoller(config, mockServices.logger.mock());
    const listTopics = jest.spyOn(poller, 'listTopics');
    try {
      const topics = new TopicService(config, poller);
      for (let attempt = 1; attempt <= 2; attempt++) {
        await expect(topics.listTopics('down')).rejects.toMatchObject({
          name: 'ServiceUnavailableError',
          message: 'Kafka cluster down did not answer',
        });
      }
      // A failure is not kept for streaming.topics.listCacheTtl.
      expect(listTopics).toHaveBeenCalledTimes(2);
    } finally {
      await poller.close();
    }
  });
});
