import { mockApis } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  PipelineOperation,
  PipelineStatusResponse,
} from '@internal/plugin-streaming-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as fx from '../../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { StreamingApi } from '../../api';
import { PipelineOperationsCard } from './PipelineOperationsCard';

const pausedOperation: PipelineOperation = {
  id: 1,
  entityRef: 'component:default/user-events',
  action: 'pause',
  actor: 'user:default/alice',
  at: '2026-11-29T21:00:00.000Z',
  result: 'done',
  message: 'spec.suspend set to true',
};
const refused: PipelineOperation = {
  ...pausedOperation,
  id: 2,
  action: 'restart',
  actor: 'user:default/bob',
  result: 'refused',
  message: 'not allowed: streaming.pipeline.operate',
};

const suspended: PipelineStatusResponse = {
  ...fx.status,
  running: false,
  application: { ...fx.status.application!, suspended: true },
};

function render(
  authorize: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  entity = fx.pipelineEntity,
  getPipelineStatus: StreamingApi['getPipelineStatus'] = async () => fx.status,
) {
  const api = mockStreamingApi({
    getPipelineStatus,
    getPipelineOperations: async () => ({
      entityRef: pausedOperation.entityRef,
      operations: [refused, pausedOperation],
    }),
    operatePipeline: async (_ref, action) => ({
      ...pausedOperation,
      id: 3,
      action,
    }),
  });
  const permission = mockApis.permission({ authorize });
  return {
    api,
    permission,
    rendered: renderWithEntity(<PipelineOperationsCard />, {
      entity,
      api,
      apis: [permission],
    }),
  };
}

describe('PipelineOperationsCard', () => {
  it('shows the operations: who, what, when and the result', async () => {
    await render(AuthorizeResult.ALLOW).rendered;
    const table = await screen.findByRole('table', { name: 'Operations' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('user:default/bob');
    expect(rows[1]).toHaveTextContent('restart');
    expect(rows[1]).toHaveTextContent(
      'refused: not allowed: streaming.pipeline.operate',
    );
    expect(rows[2]).toHaveTextContent('user:default/alice');
    expect(rows[2]).toHaveTextContent('done: spec.suspend set to true');
  });

  it('pauses after a confirmation, for a caller allowed streaming.pipeline.operate on the entity', async () => {
    const { api, rendered } = render(AuthorizeResult.ALLOW);
    await rendered;
    await userEvent.click(await screen.findByRole('button', { name: 'Pause' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Pause user-events?');
    expect(api.operatePipeline).not.toHaveBeenCalled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Pause' }),
    );
    await waitFor(() =>
      expect(api.operatePipeline).toHaveBeenCalledWith(
        { kind: 'Component', namespace: 'default', name: 'user-events' },
        'pause',
      ),
    );
    expect(await screen.findByText(/pause: done/)).toBeInTheDocument();
    // The history is read again after the operation.
    await waitFor(() =>
      expect(api.getPipelineOperations).toHaveBeenCalledTimes(2),
    );
  });

  it('does nothing when the confirmation is cancelled', async () => {
    const { api, rendered } = render(AuthorizeResult.ALLOW);
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', { name: 'Restart' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.operatePipeline).not.toHaveBeenCalled();
  });

  it('shows no operate buttons to a caller the policy refuses, only the history', async () => {
    // usePermission caches decisions per entity: another entity than the
    // allowed one of the tests above.
    await render(AuthorizeResult.DENY, {
      ...fx.pipelineEntity,
      metadata: { ...fx.pipelineEntity.metadata, name: 'not-mine' },
    }).rendered;
    await screen.findByRole('table', { name: 'Operations' });
    for (const name of ['Pause', 'Resume', 'Restart']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
    // A link styled as a button (role button, with its href).
    expect(
      screen.queryByRole('button', { name: 'Backfill' }),
    ).not.toBeInTheDocument();
  });

  it('links the Backfill pipeline template with the pipeline preselected', async () => {
    await render(AuthorizeResult.ALLOW).rendered;
    const link = await screen.findByRole('button', { name: 'Backfill' });
    const href = new URL(link.getAttribute('href')!, 'http://localhost');
    expect(href.pathname).toBe('/create/templates/default/backfill-pipeline');
    expect(JSON.parse(href.searchParams.get('formData')!)).toEqual({
      pipeline: 'component:default/user-events',
    });
  });

  it("shows the pipeline's backfills with their progress", async () => {
    const api = mockStreamingApi({
      getPipelineStatus: async () => fx.status,
      getPipelineOperations: async () => ({
        entityRef: pausedOperation.entityRef,
        operations: [],
      }),
      getPipelineBackfills: async () => ({
        entityRef: pausedOperation.entityRef,
        backfills: [
          {
            id: 'fix-2',
            queryName: 'user-events-backfill-fix-2',
            batches: 3,
            inputRows: 12500,
            inputBytes: null,
            firstBatchAt: '2026-11-30T06:00:00.000Z',
            lastBatchAt: '2026-11-30T06:01:00.000Z',
          },
        ],
      }),
    });
    await renderWithEntity(<PipelineOperationsCard />, {
      entity: fx.pipelineEntity,
      api,
      apis: [mockApis.permission({ authorize: AuthorizeResult.ALLOW })],
    });
    const table = await screen.findByRole('table', { name: 'Backfills' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent('fix-2');
    expect(rows[1]).toHaveTextContent('12,500');
    expect(api.getPipelineBackfills).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'user-events',
    });
  });

  it('says when the pipeline has no backfills', async () => {
    await renderWithEntity(<PipelineOperationsCard />, {
      entity: fx.pipelineEntity,
      api: mockStreamingApi({
        getPipelineStatus: async () => fx.status,
        getPipelineOperations: async () => ({
          entityRef: pausedOperation.entityRef,
          operations: [],
        }),
        getPipelineBackfills: async () => ({
          entityRef: pausedOperation.entityRef,
          backfills: [],
        }),
      }),
      apis: [mockApis.permission({ authorize: AuthorizeResult.ALLOW })],
    });
    expect(
      await screen.findByText('No backfills in the last 24 hours.'),
    ).toBeInTheDocument();
  });

  it('offers Pause, not Resume, while the SparkApplication runs, and shows its state', async () => {
    await render(AuthorizeResult.ALLOW).rendered;
    expect(
      await screen.findByLabelText('SparkApplication state'),
    ).toHaveTextContent(
      'SparkApplication prod/streaming/user-events: not paused, state RUNNING',
    );
    expect(
      await screen.findByRole('button', { name: 'Pause' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Resume' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Restart' })).toBeInTheDocument();
  });

  it('offers Resume, not Pause, while the SparkApplication is suspended', async () => {
    await render(
      AuthorizeResult.ALLOW,
      fx.pipelineEntity,
      async () => suspended,
    ).rendered;
    expect(
      await screen.findByLabelText('SparkApplication state'),
    ).toHaveTextContent('paused (spec.suspend)');
    expect(
      await screen.findByRole('button', { name: 'Resume' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Pause' }),
    ).not.toBeInTheDocument();
  });

  it('reads the state again after a pause: the Pause button becomes Resume', async () => {
    let paused = false;
    const { api, rendered } = render(
      AuthorizeResult.ALLOW,
      fx.pipelineEntity,
      async () => (paused ? suspended : fx.status),
    );
    api.operatePipeline.mockImplementation(async (_ref, action) => {
      paused = action === 'pause';
      return { ...pausedOperation, id: 3, action };
    });
    await rendered;
    await userEvent.click(await screen.findByRole('button', { name: 'Pause' }));
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Pause',
      }),
    );
    expect(
      await screen.findByRole('button', { name: 'Resume' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Pause' }),
    ).not.toBeInTheDocument();
    expect(api.getPipelineStatus).toHaveBeenCalledTimes(2);
  });

  it('offers no operation when the pipeline has no SparkApplication', async () => {
    await render(AuthorizeResult.ALLOW, fx.pipelineEntity, async () => ({
      ...fx.status,
      runningSource: 'progress',
      application: undefined,
    })).rendered;
    expect(
      await screen.findByLabelText('SparkApplication state'),
    ).toHaveTextContent('No SparkApplication found');
    for (const name of ['Pause', 'Resume', 'Restart']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
  });
});
