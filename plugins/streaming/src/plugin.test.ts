import { streamingPlugin } from './plugin';

describe('streaming', () => {
  it('should export plugin', () => {
    expect(streamingPlugin).toBeDefined();
  });
});
