import { fireEvent, screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PIPELINE_SUMMARY,
  PipelineEnvironmentStatus,
  PipelineEnvironmentsResponse,
  PipelineSummary,
} from '@internal/plugin-streaming-common';
import * as fx from '../../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { CostCard } from '../CostCard';
import { LagCard } from '../LagCard';
import { PipelineHealthHeader } from '../PipelineHealthHeader';
import { PipelineStreamingContent } from '../PipelineStreamingContent';
import { EnvironmentsCard } from './EnvironmentsCard';
import { imageVersion, promoteBlocker } from './EnvironmentsCard';

const MINUTE = 60_000;

function envSummary(name: string): PipelineSummary {
  return {
    ...fx.summary,
    queryName: `user-events@${name}`,
    environment: name,
  };
}

/** The User Events pipeline declaring `names` as its environments. */
function entityWith(names: string[]): Entity {
  const summary: PipelineSummary = {
    ...envSummary(names[0]),
    environments: names.map(name => ({
      name,
      namespace: `streaming-${name}`,
      summary: envSummary(name),
    })),
  };
  return {
    ...fx.pipelineEntity,
    metadata: {
      ...fx.pipelineEntity.metadata,
      annotations: {
        ...fx.pipelineEntity.metadata.annotations,
        [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify(summary),
      },
    },
  };
}

function env(
  name: string,
  next: string | null,
  overrides: Partial<PipelineEnvironmentStatus> = {},
): PipelineEnvironmentStatus {
  return {
    name,
    namespace: `streaming-${name}`,
    queryName: `user-events@${name}`,
    health: 'ok',
    state: 'RUNNING',
    image: `registry.example.com/streaming/user-events:1.4.2-${name}`,
    lag: { messages: 1200, seconds: 3.4 },
    costPerDay: { amount: 4.8, currency: 'USD' },
    lastBatchAt: new Date(Date.now() - 5 * MINUTE - 2_000).toISOString(),
    lastBatchAgeSeconds: 300,
    next,
    ...overrides,
  };
}

const twoEnvironments: PipelineEnvironmentsResponse = {
  entityRef: 'component:default/user-events',
  environments: [
    env('dev', 'prod'),
    env('prod', null, {
      kubernetesCluster: 'eu-west',
      health: 'warning',
      image:
        'registry.example.com/streaming/user-events:1.3.0-3f9c2a7e8b1d4c5f6a7b8c9d',
      lag: { messages: 25000, seconds: 95 },
      costPerDay: { amount: 62, currency: 'EUR' },
      lastBatchAt: new Date(Date.now() - 2 * 3600_000 - 2_000).toISOString(),
      lastBatchAgeSeconds: 7200,
    }),
  ],
};

async function renderCard(
  answer: PipelineEnvironmentsResponse | Error | undefined,
  entity = entityWith(
    answer instanceof Error || !answer
      ? ['dev', 'prod']
      : answer.environments.map(e => e.name),
  ),
) {
  const api = mockStreamingApi(
    answer === undefined
      ? {}
      : {
          getPipelineEnvironments: async () => {
            if (answer instanceof Error) throw answer;
            return answer;
          },
        },
  );
  await renderWithEntity(<EnvironmentsCard />, { entity, api });
  return api;
}

function column(name: string) {
  return screen.getByRole('region', { name: `Environment ${name}` });
}

/** The Promote button's link (a link styled as a button), or null. */
function promoteLink(name: string) {
  return screen.getByText(name).closest('a');
}

function promoteQuery(link: HTMLElement | null) {
  expect(link).not.toBeNull();
  const href = new URL(link!.getAttribute('href')!, 'http://localhost');
  return {
    pathname: href.pathname,
    formData: JSON.parse(href.searchParams.get('formData')!),
  };
}

describe('EnvironmentsCard', () => {
  it('shows two environments side by side with their facts, in promotion order', async () => {
    const api = await renderCard(twoEnvironments);
    expect(await screen.findByText('Environments')).toBeInTheDocument();
    expect(
      screen
        .getAllByRole('region', { name: /^Environment / })
        .map(r => r.getAttribute('aria-label')),
    ).toEqual(['Environment dev', 'Environment prod']);

    const dev = within(column('dev'));
    expect(dev.getByText('streaming-dev')).toBeInTheDocument();
    expect(dev.getByText('Healthy')).toBeInTheDocument();
    expect(dev.getByText('RUNNING')).toBeInTheDocument();
    expect(dev.getByText('1.4.2-dev')).toBeInTheDocument();
    expect(column('dev')).toHaveTextContent('1.2K messages / 3.4 s');
    expect(dev.getByText('$4.8/day')).toBeInTheDocument();
    expect(dev.getByText('5 min ago')).toBeInTheDocument();
    expect(
      dev.getByText('The other cards show this environment.'),
    ).toBeInTheDocument();

    const prod = within(column('prod'));
    expect(column('prod')).toHaveTextContent('streaming-prod on eu-west');
    expect(prod.getByText('Warning')).toBeInTheDocument();
    expect(column('prod')).toHaveTextContent('25K messages / 1.6 min');
    expect(prod.getByText('€62/day')).toBeInTheDocument();
    expect(prod.getByText('2 h ago')).toBeInTheDocument();
    expect(
      prod.queryByText('The other cards show this environment.'),
    ).not.toBeInTheDocument();

    expect(api.getPipelineEnvironments).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'user-events',
    });
  });

  it("counts a long micro-batch's age from its end, as the health header does", async () => {
    // Its trigger started 5 min ago; the batch took 4.5 min and ended 30 s ago.
    await renderCard({
      entityRef: 'component:default/user-events',
      environments: [
        env('dev', null, {
          lastBatchAt: new Date(Date.now() - 5 * MINUTE).toISOString(),
          lastBatchAgeSeconds: 30,
        }),
      ],
    });
    const dev = within(
      await screen.findByRole('region', { name: 'Environment dev' }),
    );
    expect(dev.getByText('30 s ago')).toHaveAttribute(
      'title',
      expect.stringMatching(/^Trigger started /),
    );
    expect(dev.queryByText('5 min ago')).not.toBeInTheDocument();
  });

  it('says none yet before the first micro-batch', async () => {
    await renderCard({
      entityRef: 'component:default/user-events',
      environments: [
        env('dev', null, { lastBatchAt: null, lastBatchAgeSeconds: null }),
      ],
    });
    const dev = within(
      await screen.findByRole('region', { name: 'Environment dev' }),
    );
    expect(dev.getByText('none yet')).toBeInTheDocument();
  });

  it('shortens a long image tag and shows the whole image on hover', async () => {
    await renderCard(twoEnvironments);
    const version = await within(
      await screen.findByRole('region', {
        name: 'Environment prod',
      }),
    ).findByText('1.3.0-3f9c2a7e8b1d4…');
    const image = twoEnvironments.environments[1].image!;
    expect(version.closest('[title]')).toHaveAttribute('title', image);
    fireEvent.mouseOver(version);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(image);
  });

  it('links Promote to the next environment to the Promote pipeline template with the pipeline and environments filled in', async () => {
    await renderCard(twoEnvironments);
    await screen.findByText('Promote to prod');
    expect(promoteQuery(promoteLink('Promote to prod'))).toEqual({
      pathname: '/create/templates/default/promote-pipeline',
      formData: {
        entityRef: 'component:default/user-events',
        from: 'dev',
        to: 'prod',
      },
    });
    // Nothing comes after the last environment.
    expect(screen.getAllByText(/^Promote to/)).toHaveLength(1);
  });

  it('shows three environments with a promote button between each two, disabled from an unhealthy one with its reason', async () => {
    await renderCard({
      entityRef: 'component:default/user-events',
      environments: [
        env('dev', 'staging'),
        env('staging', 'prod', { health: 'critical', state: 'FAILED' }),
        env('prod', null, { health: 'stale', state: null, image: null }),
      ],
    });
    expect(
      (await screen.findAllByRole('region', { name: /^Environment / })).map(r =>
        r.getAttribute('aria-label'),
      ),
    ).toEqual(['Environment dev', 'Environment staging', 'Environment prod']);
    expect(within(column('staging')).getByText('Critical')).toBeInTheDocument();
    expect(within(column('staging')).getByText('FAILED')).toBeInTheDocument();
    expect(within(column('prod')).getByText('Stale')).toBeInTheDocument();
    expect(within(column('prod')).getByText('none found')).toBeInTheDocument();
    expect(within(column('prod')).getByText('no image')).toBeInTheDocument();

    expect(
      promoteQuery(promoteLink('Promote to staging')).formData,
    ).toMatchObject({
      from: 'dev',
      to: 'staging',
    });

    const toProd = screen.getByRole('button', { name: 'Promote to prod' });
    expect(toProd).toBeDisabled();
    expect(promoteLink('Promote to prod')).toBeNull();
    const reason =
      "staging's health is critical: promote only from a healthy environment.";
    expect(screen.getByTestId('promote-staging-blocked')).toHaveAttribute(
      'title',
      reason,
    );
    fireEvent.mouseOver(screen.getByTestId('promote-staging-blocked'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(reason);
  });

  it('disables promoting from an environment that runs no image, saying so', async () => {
    await renderCard({
      entityRef: 'component:default/user-events',
      environments: [
        env('dev', 'prod', { image: null, state: null }),
        env('prod', null),
      ],
    });
    expect(
      await screen.findByRole('button', { name: 'Promote to prod' }),
    ).toBeDisabled();
    expect(screen.getByTestId('promote-dev-blocked')).toHaveAttribute(
      'title',
      'dev runs no image yet: there is nothing to promote.',
    );
  });

  it('shows progress while loading', async () => {
    await renderCard(undefined);
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it("shows the backend's error", async () => {
    await renderCard(new Error('Kubernetes cluster eu-west did not answer'));
    expect(
      (await screen.findAllByText(/Kubernetes cluster eu-west did not answer/))
        .length,
    ).toBeGreaterThan(0);
  });

  it('says when the backend reports no environment', async () => {
    await renderCard(
      { entityRef: 'component:default/user-events', environments: [] },
      entityWith(['dev', 'prod']),
    );
    expect(await screen.findByText('No environments')).toBeInTheDocument();
  });

  it('shows nothing and asks nothing for a pipeline without environments', async () => {
    const api = await renderCard(twoEnvironments, fx.pipelineEntity);
    expect(screen.queryByText('Environments')).not.toBeInTheDocument();
    expect(api.getPipelineEnvironments).not.toHaveBeenCalled();
  });
});

describe('The Streaming tab with environments', () => {
  it('shows the environments card only when the summary declares environments', async () => {
    const api = mockStreamingApi({
      getPipelineEnvironments: async () => twoEnvironments,
    });
    const { unmount } = await renderWithEntity(<PipelineStreamingContent />, {
      entity: entityWith(['dev', 'prod']),
      api,
    });
    expect(await screen.findByText('Environments')).toBeInTheDocument();
    unmount();
    await renderWithEntity(<PipelineStreamingContent />, {
      entity: fx.pipelineEntity,
      api,
    });
    expect(await screen.findByText('Health')).toBeInTheDocument();
    expect(screen.queryByText('Environments')).not.toBeInTheDocument();
    expect(api.getPipelineEnvironments).toHaveBeenCalledTimes(1);
  });

  it('labels the cards that show the first environment', async () => {
    const api = mockStreamingApi({
      getPipelineStatus: async () => fx.status,
      getPipelineLag: async () => fx.lag,
      getPipelineCost: async () => fx.cost,
    });
    const entity = entityWith(['dev', 'prod']);
    for (const Card of [PipelineHealthHeader, LagCard, CostCard]) {
      const { unmount } = await renderWithEntity(<Card />, { entity, api });
      expect(await screen.findByText('Environment: dev')).toBeInTheDocument();
      unmount();
    }
    await renderWithEntity(<PipelineHealthHeader />, {
      entity: fx.pipelineEntity,
      api,
    });
    expect(await screen.findByText('Warning')).toBeInTheDocument();
    expect(screen.queryByText(/^Environment:/)).not.toBeInTheDocument();
  });
});

describe('imageVersion and promoteBlocker', () => {
  it('writes a tag, a digest and an untagged image', () => {
    expect(imageVersion('registry.example.com:5000/team/job:2.0.1')).toBe(
      '2.0.1',
    );
    expect(
      imageVersion(
        'registry.example.com/team/job@sha256:3f9c2a7e8b1d4c5f6a7b8c9d0e1f',
      ),
    ).toBe('sha256:3f9c2a7e8b1d');
    expect(imageVersion('registry.example.com:5000/team/job')).toBe('latest');
  });

  it('gives every reason at once', () => {
    expect(
      promoteBlocker(env('dev', 'prod', { health: 'unknown', image: null })),
    ).toBe(
      "dev's health is unknown: promote only from a healthy environment; dev runs no image yet: there is nothing to promote.",
    );
    expect(promoteBlocker(env('dev', 'prod'))).toBeUndefined();
  });
});
