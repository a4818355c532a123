import {
  catalogGraphApiRef,
  catalogGraphRouteRef,
  DefaultCatalogGraphApi,
} from '@backstage/plugin-catalog-graph';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import * as fx from '../../__testUtils__/fixtures';
import { LineageCard } from './LineageCard';

/** The horizontal position the graph gave the node with this title. */
function nodeX(title: string): number {
  const transform = screen
    .getByText(title)
    .closest('g[transform]')
    ?.getAttribute('transform');
  const x = /translate\(\s*(-?[\d.]+)/.exec(transform ?? '')?.[1];
  if (x === undefined) {
    throw new Error(`no position for ${title}: ${transform}`);
  }
  return Number(x);
}

describe('LineageCard', () => {
  // jsdom lays nothing out; the graph measures its nodes to place them.
  beforeAll(() => {
    Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
      configurable: true,
      value: () => ({ x: 0, y: 0, width: 120, height: 24 }),
    });
  });

  it('draws the topics, tables and pipelines upstream and downstream', async () => {
    renderInTestApp(
      <EntityProvider entity={fx.pipelineEntity}>
        <LineageCard />
      </EntityProvider>,
      {
        mountedRoutes: {
          '/catalog/:namespace/:kind/:name': entityRouteRef,
          '/catalog-graph': catalogGraphRouteRef,
        },
        apis: [
          [catalogGraphApiRef, new DefaultCatalogGraphApi()],
          catalogApiMock({
            entities: [
              fx.pipelineEntity,
              fx.topicEntity,
              fx.tableEntity,
              fx.downstreamPipeline,
            ],
          }),
        ],
      },
    );
    expect(await screen.findByText('Lineage')).toBeInTheDocument();
    // The graph is laid out after the catalog answers: on a machine busy
    // with the Spark tests that has taken over findByText's default second.
    expect(
      await screen.findByText('events', undefined, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('event_summary')).toBeInTheDocument();
    expect(screen.getByText('Daily Report')).toBeInTheDocument();
    // Upstream on the left, downstream on the right, in the order data flows.
    const order = ['events', 'User Events', 'event_summary', 'Daily Report'];
    const xs = order.map(nodeX);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(new Set(xs).size).toBe(order.length);
  });
});
