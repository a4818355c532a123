import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { streamingPlugin } from './plugin';

describe('streamingPlugin', () => {
  it('answers GET /api/streaming/health without credentials', async () => {
    const { server } = await startTestBackend({ features: [streamingPlugin] });
    const res = await request(server).get('/api/streaming/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('does not serve unknown routes', async () => {
    const { server } = await startTestBackend({ features: [streamingPlugin] });
    const res = await request(server).get('/api/streaming/nope');
    expect(res.status).toBe(404);
  });
});
