import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { act, screen, waitFor } from '@testing-library/react';
import * as fx from '../../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { PipelineHealthHeader } from './PipelineHealthHeader';

type JsonObject = Parameters<Parameters<SignalApi['subscribe']>[1]>[0];

/** A SignalApi whose messages the test sends. */
function testSignals() {
  const subscribers = new Map<string, Set<(m: JsonObject) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = subscribers.get(channel) ?? new Set();
      set.add(onMessage as (m: JsonObject) => void);
      subscribers.set(channel, set);
      return { unsubscribe: () => set.delete(onMessage as never) };
    },
  };
  const send = (channel: string, message: JsonObject) =>
    subscribers.get(channel)?.forEach(fn => fn(message));
  return { api, send, channels: () => [...subscribers.keys()] };
}

describe('PipelineHealthHeader', () => {
  it('refetches the status when the backend signals a change of health', async () => {
    const signals = testSignals();
    const api = mockStreamingApi({ getPipelineStatus: async () => fx.status });
    await renderWithEntity(<PipelineHealthHeader />, {
      entity: fx.pipelineEntity,
      api,
      apis: [[signalApiRef, signals.api]],
    });
    await screen.findByText('Runbook: lag');
    expect(api.getPipelineStatus).toHaveBeenCalledTimes(1);
    const channel = 'streaming:health:component:default/user-events';
    expect(signals.channels()).toEqual([channel]);

    act(() => signals.send(channel, { changed: true }));
    await waitFor(() => expect(api.getPipelineStatus).toHaveBeenCalledTimes(2));
    // Another pipeline's signal is not this page's business.
    act(() =>
      signals.send('streaming:health:component:default/other', {
        changed: true,
      }),
    );
    act(() => signals.send(channel, { changed: true }));
    await waitFor(() => expect(api.getPipelineStatus).toHaveBeenCalledTimes(3));
  });
});
