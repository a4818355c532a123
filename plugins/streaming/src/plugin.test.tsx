import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  catalogApiMock,
  createTestEntityPage,
} from '@backstage/plugin-catalog-react/testUtils';
import { streamingApiRef } from './api';
import {
  deltaTableCard,
  lineageCard,
  pipelineStreamingContent,
  topicCard,
} from './plugin';
import * as fx from './__testUtils__/fixtures';
import { mockStreamingApi } from './__testUtils__/renderWithEntity';

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web' },
  spec: { type: 'service' },
};

describe('streaming plugin extensions', () => {
  it('adds the Streaming tab to streaming pipelines only', () => {
    const tester = createExtensionTester(pipelineStreamingContent);
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Streaming');
    expect(filter(fx.pipelineEntity)).toBe(true);
    expect(filter(service)).toBe(false);
    expect(filter(fx.topicEntity)).toBe(false);
  });

  it('shows the topic and table cards on their resources only', () => {
    const topicFilter = createExtensionTester(topicCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    const tableFilter = createExtensionTester(deltaTableCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(topicFilter(fx.topicEntity)).toBe(true);
    expect(tableFilter(fx.tableEntity)).toBe(true);
    for (const other of [fx.pipelineEntity, service]) {
      expect(topicFilter(other)).toBe(false);
      expect(tableFilter(other)).toBe(false);
    }
    expect(topicFilter(fx.tableEntity)).toBe(false);
    expect(tableFilter(fx.topicEntity)).toBe(false);
  });

  it('shows the lineage card on topics and tables', () => {
    const filter = createExtensionTester(lineageCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(fx.topicEntity)).toBe(true);
    expect(filter(fx.tableEntity)).toBe(true);
    expect(filter(service)).toBe(false);
  });

  it('loads the Streaming tab lazily into the entity page', async () => {
    const api = mockStreamingApi({
      getPipelineStatus: async () => fx.status,
      getPipelineMetrics: async () => fx.metrics,
      getPipelineLag: async () => fx.lag,
      getPipelineCost: async () => fx.cost,
    });
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: fx.pipelineEntity }),
        pipelineStreamingContent,
      ],
      apis: [[streamingApiRef, api], catalogApiMock({ entities: [] })],
    });
    expect(
      await screen.findByText('Micro-batches', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(await screen.findByText('$1,234/mo')).toBeInTheDocument();
    expect(
      await screen.findByText('RUNNING (8/8 executors)'),
    ).toBeInTheDocument();
  });
});
