import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { streamingApiRef } from '../api/StreamingApi';
import { mockStreamingApi } from '../__testUtils__/renderWithEntity';
import {
  hourlyCost,
  PipelineResourcesEditor,
  PipelineResourcesEditorProps,
  PipelineResources,
} from './PipelineResourcesEditor';

const resources: PipelineResources = {
  driver: { cores: 1, memory: '2g' },
  executor: { cores: 2, memory: '4g', instances: 2, max_instances: 4 },
};

function props(formData: PipelineResources): PipelineResourcesEditorProps {
  return {
    formData,
    onChange: jest.fn(),
    schema: { title: 'Resources' },
    uiSchema: {},
  } as unknown as PipelineResourcesEditorProps;
}

/** The backend's configured rates, as `GET /cost/rates` serves them. */
const configuredRates = mockStreamingApi({
  getCostRates: async () => ({
    currency: 'USD',
    rates: {
      default: { coreHour: 0.04, gbHour: 0.005 },
      prod: { coreHour: 0.08, gbHour: 0.01 },
    },
  }),
});

const render = (element: JSX.Element, api = configuredRates) =>
  renderInTestApp(element, { apis: [[streamingApiRef, api]] });

describe('PipelineResourcesEditor', () => {
  it('prices cores and memory of the driver and the executors', () => {
    // 5 cores and 10 GB at 2 executors; 9 cores and 18 GB at 4.
    const rates = { coreHour: 0.04, gbHour: 0.005 };
    expect(hourlyCost(resources, 2, rates)).toBeCloseTo(5 * 0.04 + 10 * 0.005);
    expect(hourlyCost(resources, 4, rates)).toBeCloseTo(9 * 0.04 + 18 * 0.005);
  });

  it('shows the cost estimate per hour and month, up to the scaling limit', async () => {
    await render(<PipelineResourcesEditor {...props(resources)} />);
    expect(
      await screen.findByText(
        /^Cost estimate: \$0\.25 per hour, \$182\.50 per month; up to \$328\.50 per month at 4 executors/,
      ),
    ).toBeInTheDocument();
  });

  it('shows and submits the defaults of the template when the form has none', async () => {
    const onChange = jest.fn();
    await render(
      <PipelineResourcesEditor
        {...({
          ...props(undefined as unknown as PipelineResources),
          onChange,
          schema: { title: 'Resources', default: resources },
        } as unknown as PipelineResourcesEditorProps)}
      />,
    );
    expect(screen.getByLabelText('Executor memory')).toHaveValue('4g');
    expect(
      screen.getByLabelText('Executors at most (scaling with lag)'),
    ).toHaveValue(4);
    expect(onChange).toHaveBeenCalledWith(resources);
    expect((await screen.findByText(/per GB-hour/)).textContent).toContain(
      '$0.005 per GB-hour',
    );
  });

  it("prices with the backend's rates of the chosen cluster", async () => {
    await render(
      <PipelineResourcesEditor
        {...({
          ...props(resources),
          uiSchema: { 'ui:options': { rateCluster: 'prod' } },
        } as unknown as PipelineResourcesEditorProps)}
      />,
    );
    // Twice the default rates: $0.50 per hour.
    expect(
      await screen.findByText(/^Cost estimate: \$0\.50 per hour/),
    ).toBeInTheDocument();
  });

  it('says when the rates cannot be read', async () => {
    await render(
      <PipelineResourcesEditor {...props(resources)} />,
      mockStreamingApi({
        getCostRates: async () => {
          throw new Error('Not allowed to read cost rates');
        },
      }),
    );
    expect(
      await screen.findByText(
        'Cost estimate unavailable: Not allowed to read cost rates',
      ),
    ).toBeInTheDocument();
  });

  it('names an invalid size at its field', async () => {
    await render(
      <PipelineResourcesEditor
        {...props({
          ...resources,
          executor: { ...resources.executor, memory: 'lots' },
        })}
      />,
    );
    expect(screen.getByText(/expected a memory size/)).toBeInTheDocument();
    expect(
      await screen.findByText('Cost estimate: fix the sizes above.'),
    ).toBeInTheDocument();
  });
});
