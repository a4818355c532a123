import { mockApis } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PipelineOperation } from '@internal/plugin-streaming-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as fx from '../../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { PipelineOperationsCard } from './PipelineOperationsCard';

const paused: PipelineOperation = {
  id: 1,
  entityRef: 'component:default/user-events',
  action: 'pause',
  actor: 'user:default/alice',
  at: '2026-11-29T21:00:00.000Z',
  result: 'done',
  message: 'spec.suspend set to true',
};
const refused: PipelineOperation = {
  ...paused,
  id: 2,
  action: 'restart',
  actor: 'user:default/bob',
  result: 'refused',
  message: 'not allowed: streaming.pipeline.operate',
};

function render(
  authorize: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  entity = fx.pipelineEntity,
) {
  const api = mockStreamingApi({
    getPipelineOperations: async () => ({
      entityRef: paused.entityRef,
      operations: [refused, paused],
    }),
    operatePipeline: async (_ref, action) => ({ ...paused, id: 3, action }),
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
  });
});
