import { act, screen, waitFor, within } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import {
  PipelineConnector,
  PipelineConnectorsResponse,
} from '@internal/plugin-streaming-common';
import * as fx from '../../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { SourceConnectorCard } from './SourceConnectorCard';

const TRACE =
  'org.apache.kafka.connect.errors.ConnectException: Publication autocreation is disabled, please create one and restart the connector.';

const connector: PipelineConnector = {
  cluster: 'local',
  name: 'users-cdc',
  connectorClass: 'io.debezium.connector.postgresql.PostgresConnector',
  state: 'RUNNING',
  workerId: '127.0.0.1:8083',
  topics: ['users.public.users'],
  tasks: [
    { id: 0, state: 'RUNNING', workerId: '127.0.0.1:8083' },
    { id: 1, state: 'FAILED', workerId: '127.0.0.1:8084', trace: TRACE },
  ],
};

const answer = (
  connectors: PipelineConnector[],
  errors: PipelineConnectorsResponse['errors'] = [],
): PipelineConnectorsResponse => ({
  entityRef: 'component:default/user-events',
  connectors,
  errors,
});

async function renderCard(load: () => Promise<PipelineConnectorsResponse>) {
  const api = mockStreamingApi({ getPipelineConnectors: load });
  await renderWithEntity(
    <div data-testid="cell">
      <SourceConnectorCard />
    </div>,
    { entity: fx.pipelineEntity, api },
  );
  await waitFor(() => expect(api.getPipelineConnectors).toHaveBeenCalled());
  // Lets the card take the answer (or the failure) in.
  await act(() => new Promise(resolve => setTimeout(resolve, 100)));
  return api;
}

describe('SourceConnectorCard', () => {
  it("shows the connector's cluster, name, class and state, its tasks' states and a failed task's trace", async () => {
    const api = await renderCard(async () => answer([connector]));
    const section = await screen.findByRole('region', {
      name: 'connector users-cdc',
    });
    expect(api.getPipelineConnectors).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: fx.pipelineEntity.metadata.name,
    });
    expect(screen.getByText('Source connector')).toBeInTheDocument();
    expect(section).toHaveTextContent('Connect cluster');
    expect(section).toHaveTextContent('local');
    expect(section).toHaveTextContent('PostgresConnector');
    expect(section).toHaveTextContent('users.public.users');
    expect(within(section).getByText('RUNNING')).toBeInTheDocument();
    expect(within(section).getByText('task 0 RUNNING')).toBeInTheDocument();
    expect(within(section).getByText('task 1 FAILED')).toBeInTheDocument();
    expect(within(section).getByRole('alert')).toHaveTextContent(
      `Task 1 on 127.0.0.1:8084: ${TRACE}`,
    );
  });

  it('shows a failed connector with its own trace and a paused one', async () => {
    await renderCard(async () =>
      answer([
        {
          ...connector,
          name: 'broken',
          state: 'FAILED',
          trace: 'java.lang.IllegalStateException: no slot',
          tasks: [],
        },
        {
          ...connector,
          name: 'held',
          state: 'PAUSED',
          tasks: [{ id: 0, state: 'PAUSED' }],
        },
      ]),
    );
    const broken = await screen.findByRole('region', {
      name: 'connector broken',
    });
    expect(within(broken).getByText('FAILED')).toBeInTheDocument();
    expect(within(broken).getByRole('alert')).toHaveTextContent(
      'Connector: java.lang.IllegalStateException: no slot',
    );
    expect(broken).toHaveTextContent('No tasks');
    const held = screen.getByRole('region', { name: 'connector held' });
    expect(within(held).getByText('PAUSED')).toBeInTheDocument();
    expect(within(held).getByText('task 0 PAUSED')).toBeInTheDocument();
    expect(within(held).queryByRole('alert')).toBeNull();
  });

  it('shows a Connect cluster that did not answer', async () => {
    await renderCard(async () =>
      answer(
        [],
        [
          {
            source: 'kafka-connect:prod',
            message: 'fetch failed: ECONNREFUSED',
          },
        ],
      ),
    );
    expect(
      await screen.findByText('kafka-connect:prod: fetch failed: ECONNREFUSED'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No Kafka Connect cluster that answered/),
    ).toBeInTheDocument();
  });

  it('is not shown for a pipeline no connector feeds', async () => {
    await renderCard(async () => answer([]));
    expect(screen.getByTestId('cell')).toBeEmptyDOMElement();
  });

  it('is not shown to a caller without streaming.connector.read', async () => {
    const refused = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'Not allowed (streaming.connector.read)',
          },
          request: { method: 'GET', url: '/' },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'Content-Type': 'application/json' } },
      ) as never,
    );
    await renderCard(() => Promise.reject(refused));
    expect(screen.getByTestId('cell')).toBeEmptyDOMElement();
  });

  it('shows any other error', async () => {
    await renderCard(() => Promise.reject(new Error('backend down')));
    expect(await screen.findByText('Source connector')).toBeInTheDocument();
    expect(screen.getAllByText(/backend down/).length).toBeGreaterThan(0);
  });
});
