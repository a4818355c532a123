import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
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
    uiSchema: { 'ui:options': { coreHour: 0.04, gbHour: 0.005 } },
  } as unknown as PipelineResourcesEditorProps;
}

describe('PipelineResourcesEditor', () => {
  it('prices cores and memory of the driver and the executors', () => {
    // 5 cores and 10 GB at 2 executors; 9 cores and 18 GB at 4.
    const rates = { coreHour: 0.04, gbHour: 0.005 };
    expect(hourlyCost(resources, 2, rates)).toBeCloseTo(5 * 0.04 + 10 * 0.005);
    expect(hourlyCost(resources, 4, rates)).toBeCloseTo(9 * 0.04 + 18 * 0.005);
  });

  it('shows the cost estimate per hour and month, up to the scaling limit', async () => {
    await renderInTestApp(<PipelineResourcesEditor {...props(resources)} />);
    expect(
      screen.getByText(
        /^Cost estimate: \$0\.25 per hour, \$182\.50 per month; up to \$328\.50 per month at 4 executors/,
      ),
    ).toBeInTheDocument();
  });

  it('shows and submits the defaults of the template when the form has none', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
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
    expect(screen.getByText(/per GB-hour/).textContent).toContain(
      '$0.005 per GB-hour',
    );
  });

  it('names an invalid size at its field', async () => {
    await renderInTestApp(
      <PipelineResourcesEditor
        {...props({
          ...resources,
          executor: { ...resources.executor, memory: 'lots' },
        })}
      />,
    );
    expect(screen.getByText(/expected a memory size/)).toBeInTheDocument();
    expect(
      screen.getByText('Cost estimate: fix the sizes above.'),
    ).toBeInTheDocument();
  });
});
