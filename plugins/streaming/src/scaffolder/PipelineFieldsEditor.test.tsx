import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { createAsyncValidators } from '@backstage/plugin-scaffolder-react/alpha';
import { TopicFieldsResponse } from '@internal/plugin-streaming-common';
import { streamingApiRef } from '../api/StreamingApi';
import { StreamingClient } from '../api/StreamingClient';
import {
  PipelineFieldRow,
  PipelineFieldsEditor,
  PipelineFieldsEditorProps,
  PipelineSourceSchema,
  validatePipelineFields,
} from './PipelineFieldsEditor';

function props(
  formData: PipelineFieldRow[],
  topic = 'orders',
  format = 'avro',
): PipelineFieldsEditorProps {
  return {
    formData,
    onChange: jest.fn(),
    schema: { title: 'Schema' },
    uiSchema: {
      'ui:options': {
        topicField: 'topic',
        clusterField: 'kafkaCluster',
        formatField: 'format',
      },
    },
    formContext: { formData: { kafkaCluster: 'eu-west', topic, format } },
    rawErrors: [],
  } as unknown as PipelineFieldsEditorProps;
}

/** Props of the editor on an object form field, as the Kafka templates have it. */
function objectProps(
  formData: PipelineSourceSchema,
  topic = 'orders',
  format = 'avro',
): PipelineFieldsEditorProps {
  const p = props([], topic, format);
  return {
    ...p,
    formData,
    schema: { title: 'Schema', type: 'object' },
  } as unknown as PipelineFieldsEditorProps;
}

/** Renders with the real StreamingClient over a fetch that gives `response`. */
async function render(element: JSX.Element, response: Response) {
  const fetch = jest.fn(async (_url: RequestInfo | URL) => response);
  const streamingApi = new StreamingClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage' }),
    fetchApi: { fetch },
  });
  await renderInTestApp(element, { apis: [[streamingApiRef, streamingApi]] });
  return fetch;
}

const json = (body: object, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

const fromRegistry: TopicFieldsResponse = {
  cluster: 'eu-west',
  topic: 'orders',
  origin: 'registry',
  format: 'avro',
  registry: 'confluent',
  subject: 'orders-value',
  version: 4,
  fields: [
    { name: 'order_id', type: 'long', nullable: false },
    { name: 'amount', type: 'double', nullable: true },
  ],
  errors: [],
};

describe('PipelineFieldsEditor', () => {
  it("fills the fields from the topic's registry subject when the user takes them", async () => {
    const p = props([{ name: 'event_type', type: 'string' }]);
    const fetch = await render(
      <PipelineFieldsEditor {...p} />,
      json(fromRegistry),
    );
    expect(
      await screen.findByText(
        /Subject orders-value v4 of schema registry confluent \(avro\): order_id, amount/,
      ),
    ).toBeInTheDocument();
    expect(String(fetch.mock.calls[0][0])).toBe(
      'http://backstage/api/streaming/topics/fields?cluster=eu-west&topic=orders',
    );
    // Nothing changes until the user takes the proposal.
    expect(p.onChange).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Use these fields' }));
    expect(p.onChange).toHaveBeenCalledWith(fromRegistry.fields);
    // The form's format matches the subject's: no warning.
    expect(screen.queryByText(/choose avro there/)).not.toBeInTheDocument();
  });

  it("warns when the form's message format is not the subject's", async () => {
    await render(
      <PipelineFieldsEditor {...props([], 'orders', 'json')} />,
      json(fromRegistry),
    );
    expect(
      await screen.findByText(
        'The records of orders are avro; Message format is json: choose avro there, or the job will not read them.',
      ),
    ).toBeInTheDocument();
  });

  it('proposes fields sampled from a JSON topic and lets the user edit them', async () => {
    const rows: PipelineFieldRow[] = [
      { name: 'click_id', type: 'long', nullable: false },
      { name: 'page', type: 'string', nullable: true },
    ];
    const p = props(rows, 'clicks', 'json');
    await render(
      <PipelineFieldsEditor {...p} />,
      json({
        cluster: 'eu-west',
        topic: 'clicks',
        origin: 'sample',
        format: 'json',
        sampledMessages: 100,
        fields: rows,
        errors: [
          {
            source: 'kafka:eu-west',
            message: '3 of 100 sampled messages are not JSON objects',
          },
        ],
      }),
    );
    expect(
      await screen.findByText(
        /100 recent messages of clicks, read as JSON: click_id, page/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('3 of 100 sampled messages are not JSON objects'),
    ).toBeInTheDocument();

    const second = screen.getByRole('group', { name: 'field 2' });
    fireEvent.change(within(second).getByLabelText(/Field/), {
      target: { value: 'url' },
    });
    expect(p.onChange).toHaveBeenLastCalledWith([
      rows[0],
      { name: 'url', type: 'string', nullable: true },
    ]);
    fireEvent.click(within(second).getByRole('checkbox'));
    expect(p.onChange).toHaveBeenLastCalledWith([
      rows[0],
      { name: 'page', type: 'string', nullable: false },
    ]);
    fireEvent.click(
      screen.getByRole('button', { name: 'remove field click_id' }),
    );
    expect(p.onChange).toHaveBeenLastCalledWith([rows[1]]);
    fireEvent.click(screen.getByRole('button', { name: 'Add field' }));
    expect(p.onChange).toHaveBeenLastCalledWith([
      ...rows,
      { name: '', type: 'string' },
    ]);
  });

  it('says why nothing is proposed when the backend refuses', async () => {
    await render(
      <PipelineFieldsEditor {...props([])} />,
      json(
        {
          error: {
            name: 'NotAllowedError',
            message: 'Not allowed to read the records of Kafka topics',
          },
        },
        403,
      ),
    );
    await waitFor(() =>
      expect(
        screen.getByText(/No fields proposed for orders:/),
      ).toBeInTheDocument(),
    );
  });

  describe('on an object form field', () => {
    const subject = {
      registry: 'confluent',
      subject: 'orders-value',
      version: 4,
    };
    const subjectChoice =
      'Read with subject orders-value of registry confluent (version 4, pinned)';

    it('offers to read with the registry subject, which sets the subject and keeps its fields', async () => {
      const p = objectProps({
        fields: [{ name: 'event_type', type: 'string' }],
      });
      await render(<PipelineFieldsEditor {...p} />, json(fromRegistry));
      const choice = await screen.findByRole('radio', { name: subjectChoice });
      expect(
        screen.getByRole('radio', { name: 'Copy the fields' }),
      ).not.toBeChecked();
      expect(choice).not.toBeChecked();
      // The choice replaces the button of the array field.
      expect(
        screen.queryByRole('button', { name: 'Use these fields' }),
      ).not.toBeInTheDocument();
      expect(p.onChange).not.toHaveBeenCalled();

      fireEvent.click(choice);
      expect(p.onChange).toHaveBeenLastCalledWith({
        fields: fromRegistry.fields,
        subject,
        subjectFormat: 'avro',
      });
      fireEvent.click(screen.getByRole('radio', { name: 'Copy the fields' }));
      expect(p.onChange).toHaveBeenLastCalledWith({
        fields: fromRegistry.fields,
      });
    });

    it("shows Copy the fields as chosen while the rows are the subject's fields, and neither choice before", async () => {
      const copied = objectProps({ fields: fromRegistry.fields });
      await render(<PipelineFieldsEditor {...copied} />, json(fromRegistry));
      expect(
        await screen.findByRole('radio', { name: 'Copy the fields' }),
      ).toBeChecked();
      expect(
        screen.getByRole('radio', { name: subjectChoice }),
      ).not.toBeChecked();
    });

    it("shows the subject's fields read-only while the pipeline reads with it", async () => {
      const p = objectProps({
        fields: fromRegistry.fields,
        subject,
        subjectFormat: 'avro',
      });
      await render(<PipelineFieldsEditor {...p} />, json(fromRegistry));
      expect(
        await screen.findByRole('radio', { name: subjectChoice }),
      ).toBeChecked();
      expect(
        screen.getByText(
          /The job reads each record with version 4 of subject orders-value \(avro\)/,
        ),
      ).toBeInTheDocument();
      const first = screen.getByRole('group', { name: 'field 1' });
      expect(within(first).getByLabelText(/Field/)).toBeDisabled();
      expect(
        screen.queryByRole('button', { name: 'Add field' }),
      ).not.toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: /remove field/ }),
      ).not.toBeInTheDocument();
    });

    it('offers no subject for fields sampled from JSON messages', async () => {
      const p = objectProps({ fields: [] }, 'clicks', 'json');
      await render(
        <PipelineFieldsEditor {...p} />,
        json({
          cluster: 'eu-west',
          topic: 'clicks',
          origin: 'sample',
          format: 'json',
          sampledMessages: 100,
          fields: [{ name: 'click_id', type: 'long', nullable: false }],
          errors: [],
        }),
      );
      fireEvent.click(
        await screen.findByRole('button', { name: 'Use these fields' }),
      );
      expect(p.onChange).toHaveBeenLastCalledWith({
        fields: [{ name: 'click_id', type: 'long', nullable: false }],
      });
      expect(screen.queryByRole('radio')).not.toBeInTheDocument();
      expect(screen.queryByText(/Read with subject/)).not.toBeInTheDocument();
    });

    it("says, and Next refuses, when Message format is not the subject's", async () => {
      const value: PipelineSourceSchema = {
        fields: fromRegistry.fields,
        subject,
        subjectFormat: 'avro',
      };
      const problem =
        'Subject orders-value of registry confluent holds avro records but Message format is json: choose avro as Message format, or copy the fields instead of reading with the subject.';
      await render(
        <PipelineFieldsEditor {...objectProps(value, 'orders', 'json')} />,
        json(fromRegistry),
      );
      expect(await screen.findByText(problem)).toBeInTheDocument();

      // As the Create form's Stepper validates a page before Next.
      const validate = async (format: string) => {
        const errors = await createAsyncValidators(
          {
            type: 'object',
            properties: {
              format: { type: 'string' },
              sourceSchema: {
                type: 'object',
                'ui:field': 'PipelineFieldsEditor',
                'ui:options': { formatField: 'format' },
              },
            },
          },
          { PipelineFieldsEditor: validatePipelineFields as any },
          { apiHolder: { get: () => undefined } },
        )({ format, sourceSchema: value as any });
        return (errors.sourceSchema as any)?.__errors ?? [];
      };
      expect(await validate('json')).toEqual([problem]);
      expect(await validate('avro')).toEqual([]);
    });
  });
});
