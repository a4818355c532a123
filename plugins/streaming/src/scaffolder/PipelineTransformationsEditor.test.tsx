import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen } from '@testing-library/react';
import {
  PipelineTransformationsEditor,
  PipelineTransformationsEditorProps,
  validatePipelineTransformations,
} from './PipelineTransformationsEditor';

const fields = [
  { name: 'status', type: 'string' },
  { name: 'ts', type: 'timestamp' },
];

function props(onChange: jest.Mock): PipelineTransformationsEditorProps {
  return {
    formData: [{ type: 'filter', condition: "status = 'paid'" }],
    onChange,
    schema: { title: 'Transformations' },
    uiSchema: { 'ui:options': { fieldsField: 'fields' } },
    formContext: { formData: { fields } },
    rawErrors: [],
  } as unknown as PipelineTransformationsEditorProps;
}

describe('PipelineTransformationsEditor', () => {
  it('shows the errors of the spec rules as you type', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <PipelineTransformationsEditor {...props(onChange)} />,
    );
    const editor = screen.getByLabelText('transformations as YAML');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    fireEvent.change(editor, {
      target: {
        value:
          "- type: filter\n  condition: \"__import__('os').system('id')\"\n- type: watermark\n  column: ts\n  delay: soon\n",
      },
    });
    const alerts = screen.getAllByRole('alert').map(a => a.textContent);
    expect(alerts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^transformations\[0\]\.condition: /),
        expect.stringMatching(/^transformations\[1\]\.delay: /),
      ]),
    );
    expect(onChange).toHaveBeenLastCalledWith([
      { type: 'filter', condition: "__import__('os').system('id')" },
      { type: 'watermark', column: 'ts', delay: 'soon' },
    ]);
  });

  it('reports broken YAML and clears the value until it is fixed', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <PipelineTransformationsEditor {...props(onChange)} />,
    );
    fireEvent.change(screen.getByLabelText('transformations as YAML'), {
      target: { value: '- type: filter\n  condition: "unterminated\n' },
    });
    expect(screen.getByRole('alert').textContent).toMatch(/^invalid YAML: /);
    expect(onChange).toHaveBeenLastCalledWith(undefined);
  });

  it('checks columns against the fields of a Schema field that holds them in an object', async () => {
    const problems = async (formData: object) => {
      const addError = jest.fn();
      await validatePipelineTransformations(
        [{ type: 'watermark', column: 'created_at', delay: '1 minute' }],
        { addError } as any,
        {
          apiHolder: { get: () => undefined },
          formData,
          schema: {},
          uiSchema: { 'ui:options': { fieldsField: 'sourceSchema' } },
        } as any,
      );
      return addError.mock.calls.map(c => c[0]);
    };
    const inList = await problems({ sourceSchema: fields });
    expect(inList).toEqual([expect.stringContaining('created_at')]);
    expect(
      await problems({
        sourceSchema: {
          fields,
          subject: { registry: 'local', subject: 'orders-value', version: 1 },
          subjectFormat: 'avro',
        },
      }),
    ).toEqual(inList);
  });
});
