import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import { screen, within } from '@testing-library/react';
import {
  ANNOTATION_PIPELINE_SPEC,
  PipelineDriftResponse,
} from '@internal/plugin-streaming-common';
import * as fx from '../../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { GeneratedFilesCard } from './GeneratedFilesCard';

const entity: Entity = {
  ...fx.pipelineEntity,
  metadata: {
    ...fx.pipelineEntity.metadata,
    annotations: {
      ...fx.pipelineEntity.metadata.annotations,
      [ANNOTATION_PIPELINE_SPEC]: './pipeline.yaml',
    },
  },
};

const answer = (
  over: Partial<PipelineDriftResponse> = {},
): PipelineDriftResponse => ({
  entityRef: 'component:default/user-events',
  state: 'up-to-date',
  generatorVersion: { current: '0.2.0', repository: '0.2.0' },
  files: [
    { path: 'Dockerfile', state: 'unchanged' },
    { path: 'job/main.py', state: 'unchanged' },
  ],
  checkedAt: '2026-11-30T06:00:00.000Z',
  errors: [],
  ...over,
});

async function renderCard(
  data: PipelineDriftResponse,
  onEntity: Entity = entity,
) {
  const api = mockStreamingApi({ getPipelineDrift: async () => data });
  await renderWithEntity(<GeneratedFilesCard />, { entity: onEntity, api });
  return api;
}

describe('GeneratedFilesCard', () => {
  it('says the files are up to date with the generator, with no update link', async () => {
    const api = await renderCard(answer());
    expect(
      await screen.findByText(/Up to date with generator 0\.2\.0/),
    ).toHaveTextContent(
      'Up to date with generator 0.2.0: 2 generated files are what pipeline.yaml renders.',
    );
    expect(api.getPipelineDrift).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'user-events',
    });
    expect(screen.queryByRole('link', { name: /Update pipeline/ })).toBeNull();
  });

  it('lists each drifted file with its state, the versions, and links the Update pipeline template with the pipeline preselected', async () => {
    await renderCard(
      answer({
        state: 'drifted',
        generatorVersion: { current: '0.2.0', repository: '0.1.0' },
        files: [
          { path: 'Dockerfile', state: 'unchanged' },
          { path: 'deploy/prometheus-rule.yaml', state: 'missing' },
          { path: 'job/main.py', state: 'changed' },
          { path: 'job/old_step.py', state: 'extra' },
        ],
      }),
    );
    const list = await screen.findByRole('list', { name: 'Drifted files' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'deploy/prometheus-rule.yamlmissing: not in the repository',
      'job/main.pychanged: differs from what pipeline.yaml renders',
      'job/old_step.pyextra: generated, no longer rendered',
    ]);
    expect(
      screen.getByText(/of the repository's generated files differ/),
    ).toHaveTextContent(
      "3 of the repository's generated files differ from what pipeline.yaml and generator 0.2.0 render. Rendered by generator 0.1.0; the platform's is 0.2.0.",
    );
    const link = screen.getByRole('link', {
      name: 'Render them again with the Update pipeline template',
    });
    const href = new URL(link.getAttribute('href')!, 'http://localhost');
    expect(href.pathname).toBe('/create/templates/default/update-pipeline');
    expect(JSON.parse(href.searchParams.get('formData')!)).toEqual({
      pipeline: 'component:default/user-events',
    });
  });

  it('offers the CLI instead of the template for a pipeline registered from a file', async () => {
    await renderCard(
      answer({
        state: 'drifted',
        files: [{ path: 'job/main.py', state: 'changed' }],
      }),
      {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            ...entity.metadata.annotations,
            [ANNOTATION_LOCATION]: 'file:/repos/user-events/catalog-info.yaml',
          },
        },
      },
    );
    await screen.findByRole('list', { name: 'Drifted files' });
    expect(screen.getByText(/registered from a file/)).toHaveTextContent(
      'yarn streaming-pipeline render pipeline.yaml --out .',
    );
    expect(screen.queryByRole('link', { name: /Update pipeline/ })).toBeNull();
  });

  it('shows why the repository could not be checked', async () => {
    await renderCard(
      answer({
        state: 'unknown',
        files: [],
        errors: [
          {
            source: 'repository',
            message:
              '/repos/user-events has more than 500 files the generator may own (streaming.drift.maxFiles)',
          },
        ],
      }),
    );
    expect(
      await screen.findByText(/streaming\.drift\.maxFiles/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Up to date/)).toBeNull();
  });

  it('names the annotation it needs', async () => {
    const api = await renderCard(answer(), fx.pipelineEntity);
    expect(
      await screen.findByText(ANNOTATION_PIPELINE_SPEC),
    ).toBeInTheDocument();
    expect(api.getPipelineDrift).not.toHaveBeenCalled();
  });
});
