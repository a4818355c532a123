import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { streamingApiRef } from '../api/StreamingApi';
import { StreamingClient } from '../api/StreamingClient';
import { KafkaTopicPicker, KafkaTopicPickerProps } from './KafkaTopicPicker';

function props(formData?: string): KafkaTopicPickerProps {
  return {
    formData,
    onChange: jest.fn(),
    schema: { title: 'Topic' },
    uiSchema: { 'ui:options': { clusterField: 'kafkaCluster' } },
    formContext: { formData: { kafkaCluster: 'eu-west' } },
    rawErrors: [],
  } as unknown as KafkaTopicPickerProps;
}

/** Renders with the real StreamingClient over a fetch that gives `response`. */
function render(element: JSX.Element, response: Response) {
  const fetch = jest.fn(async (_url: RequestInfo | URL) => response);
  const streamingApi = new StreamingClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage' }),
    fetchApi: { fetch },
  });
  return {
    fetch,
    rendered: renderInTestApp(element, {
      apis: [[streamingApiRef, streamingApi]],
    }),
  };
}

describe('KafkaTopicPicker', () => {
  it('offers the topics of the cluster named in the form', async () => {
    const { fetch, rendered } = render(
      <KafkaTopicPicker {...props()} />,
      new Response(
        JSON.stringify({
          cluster: 'eu-west',
          topics: [
            { name: 'orders', partitions: 6 },
            { name: '__consumer_offsets', partitions: 50 },
            { name: 'clicks', partitions: 12 },
          ],
        }),
        { headers: { 'Content-Type': 'application/json' } },
      ),
    );
    await rendered;
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://backstage/api/streaming/topics?cluster=eu-west',
    ]);
    fireEvent.mouseDown(screen.getByLabelText('Topic'));
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['clicks', 'orders']);
  });

  it('stays a text field that says why when the topics cannot be listed', async () => {
    const { rendered } = render(
      <KafkaTopicPicker {...props('orders')} />,
      new Response(JSON.stringify({ error: { message: 'no such route' } }), {
        status: 404,
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    await rendered;
    expect(
      await screen.findByText(/Could not list the topics of cluster "eu-west"/),
    ).toBeInTheDocument();
  });

  it('flags an invalid topic name', async () => {
    const { rendered } = render(
      <KafkaTopicPicker {...props('orders; drop')} />,
      new Response(JSON.stringify({ cluster: 'eu-west', topics: [] })),
    );
    await rendered;
    expect(
      await screen.findByText(/A topic name is 1 to 249 letters/),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Topic')).toBeEnabled());
  });
});
