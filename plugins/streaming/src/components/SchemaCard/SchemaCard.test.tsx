import { screen, within } from '@testing-library/react';
import {
  ANNOTATION_PIPELINE_SCHEMA_VERSION,
  PipelineSchemaSubject,
  PipelineSchemasResponse,
} from '@internal/plugin-streaming-common';
import * as fx from '../../__testUtils__/fixtures';
import {
  mockStreamingApi,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { SchemaCard } from './SchemaCard';

const subject: PipelineSchemaSubject = {
  registry: 'local',
  subject: 'user-events-value',
  topic: 'user-events',
  schemaType: 'AVRO',
  apiEntityRef: 'api:default/schema-subject.local.user-events-value',
  compatibilityLevel: 'BACKWARD',
  inUse: { version: 1, id: 11, registeredAt: '2026-11-01T10:00:00.000Z' },
  latest: { version: 3, id: 13, registeredAt: '2026-11-20T10:00:00.000Z' },
  newerVersions: [2, 3],
  compatibleWithInUse: false,
  incompatibilities: [{ field: 'country', message: 'READER_FIELD_MISSING' }],
};

const answer = (
  ...subjects: PipelineSchemaSubject[]
): PipelineSchemasResponse => ({
  entityRef: 'component:default/user-events-to-delta',
  subjects,
  errors: [],
});

async function renderCard(data: PipelineSchemasResponse) {
  const api = mockStreamingApi({ getPipelineSchemas: async () => data });
  await renderWithEntity(<SchemaCard />, { entity: fx.pipelineEntity, api });
  return api;
}

describe('SchemaCard', () => {
  it('shows the version in use, the latest, the newer versions and the fields that break, linking the API entity', async () => {
    const api = await renderCard(answer(subject));
    const section = await screen.findByRole('region', {
      name: 'subject user-events-value',
    });
    expect(api.getPipelineSchemas).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: fx.pipelineEntity.metadata.name,
    });
    expect(
      within(section).getByRole('link', { name: /user-events-value/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/api/schema-subject.local.user-events-value',
    );
    expect(section).toHaveTextContent('v1 (id 11, registered 01/11/2026');
    expect(section).toHaveTextContent('v3 (id 13, registered 20/11/2026');
    expect(section).toHaveTextContent(
      'Newer: v2, v3. The latest is not compatible with v1 under BACKWARD: country.',
    );
  });

  it('says when the latest is compatible, when the pipeline reads it and when it names no version', async () => {
    await renderCard(
      answer(
        {
          ...subject,
          subject: 'a-value',
          compatibleWithInUse: true,
          incompatibilities: [],
        },
        {
          ...subject,
          subject: 'b-value',
          inUse: subject.latest,
          newerVersions: [],
          compatibleWithInUse: null,
        },
        {
          ...subject,
          subject: 'c-value',
          inUse: undefined,
          newerVersions: [],
          compatibleWithInUse: null,
        },
      ),
    );
    expect(
      await screen.findByRole('region', { name: 'subject a-value' }),
    ).toHaveTextContent(
      'Newer: v2, v3. The latest is compatible with v1 under BACKWARD.',
    );
    expect(
      screen.getByRole('region', { name: 'subject b-value' }),
    ).toHaveTextContent('The pipeline reads the latest version.');
    const c = screen.getByRole('region', { name: 'subject c-value' });
    expect(c).toHaveTextContent('not named');
    expect(c).toHaveTextContent(ANNOTATION_PIPELINE_SCHEMA_VERSION);
  });

  it('has an empty state', async () => {
    await renderCard(answer());
    expect(await screen.findByText('No registry subject')).toBeInTheDocument();
  });
});
