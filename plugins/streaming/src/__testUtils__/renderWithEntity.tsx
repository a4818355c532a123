import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { StreamingApi, streamingApiRef } from '../api';
import { scaffolderTemplateRouteRef, techDocsReaderRouteRef } from '../routes';

/** A StreamingApi whose every method is a jest mock, some of them set. */
export function mockStreamingApi(
  impl: Partial<StreamingApi> = {},
): jest.Mocked<StreamingApi> {
  const never = () => new Promise<never>(() => {});
  return {
    getPipelineMetrics: jest.fn(impl.getPipelineMetrics ?? never),
    getPipelineLag: jest.fn(impl.getPipelineLag ?? never),
    getPipelineStatus: jest.fn(impl.getPipelineStatus ?? never),
    getPipelineCost: jest.fn(impl.getPipelineCost ?? never),
    getPipelineEnvironments: jest.fn(impl.getPipelineEnvironments ?? never),
    getTopicDetails: jest.fn(impl.getTopicDetails ?? never),
    getDeltaTableDetails: jest.fn(impl.getDeltaTableDetails ?? never),
    getSearchIndexDetails: jest.fn(impl.getSearchIndexDetails ?? never),
    getOverview: jest.fn(impl.getOverview ?? never),
    getCostRates: jest.fn(impl.getCostRates ?? never),
    getTeams: jest.fn(impl.getTeams ?? never),
    listTopics: jest.fn(impl.listTopics ?? never),
    operatePipeline: jest.fn(impl.operatePipeline ?? never),
    getPipelineOperations: jest.fn(impl.getPipelineOperations ?? never),
    getPipelineBackfills: jest.fn(impl.getPipelineBackfills ?? never),
    getPipelineSchemas: jest.fn(impl.getPipelineSchemas ?? never),
    getPipelineConnectors: jest.fn(impl.getPipelineConnectors ?? never),
    getPipelineDrift: jest.fn(impl.getPipelineDrift ?? never),
    getTopicFields: jest.fn(impl.getTopicFields ?? never),
    listSearchClusters: jest.fn(impl.listSearchClusters ?? never),
  };
}

/** Renders an element in a test app, inside the page of an entity. */
export function renderWithEntity(
  element: JSX.Element,
  options: {
    entity?: Entity;
    api: StreamingApi;
    catalog?: Entity[];
    /** Leave TechDocs out of the test app (nothing to link docs to). */
    withoutTechDocs?: boolean;
    /** More APIs of the test app. */
    apis?: NonNullable<Parameters<typeof renderInTestApp>[1]>['apis'];
  },
) {
  const content = options.entity ? (
    <EntityProvider entity={options.entity}>{element}</EntityProvider>
  ) : (
    element
  );
  return renderInTestApp(content, {
    mountedRoutes: {
      '/catalog/:namespace/:kind/:name': entityRouteRef,
      '/create/templates/:namespace/:templateName': scaffolderTemplateRouteRef,
      ...(options.withoutTechDocs
        ? {}
        : { '/docs/:namespace/:kind/:name': techDocsReaderRouteRef }),
    },
    apis: [
      [streamingApiRef, options.api],
      catalogApiMock({ entities: options.catalog ?? [] }),
      ...(options.apis ?? []),
    ],
  });
}
