import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { streamingApiRef } from '../api/StreamingApi';
import { StreamingClient } from '../api/StreamingClient';
import {
  SearchClusterPicker,
  SearchClusterPickerProps,
} from './SearchClusterPicker';

function props(formData?: string): SearchClusterPickerProps {
  return {
    formData,
    onChange: jest.fn(),
    schema: { title: 'Search cluster' },
    uiSchema: {},
    idSchema: { $id: 'root_searchCluster' },
    rawErrors: [],
  } as unknown as SearchClusterPickerProps;
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

const clusters = (...names: string[]) =>
  new Response(JSON.stringify({ clusters: names.map(name => ({ name })) }), {
    headers: { 'Content-Type': 'application/json' },
  });

describe('SearchClusterPicker', () => {
  it('offers the configured search clusters and keeps a configured value', async () => {
    const picker = props('logs-eu');
    const fetch = await render(
      <SearchClusterPicker {...picker} />,
      clusters('local', 'logs-eu'),
    );
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://backstage/api/streaming/search/clusters',
    ]);
    const field = await screen.findByRole('button', { name: /logs-eu/ });
    fireEvent.mouseDown(field);
    const options = within(await screen.findByRole('listbox')).getAllByRole(
      'option',
    );
    expect(options.map(o => o.textContent)).toEqual(['local', 'logs-eu']);
    fireEvent.click(options[0]);
    expect(picker.onChange).toHaveBeenCalledWith('local');
    expect(picker.onChange).toHaveBeenCalledTimes(1);
  });

  it('picks the first configured cluster when the default is not one', async () => {
    const picker = props('local');
    await render(<SearchClusterPicker {...picker} />, clusters('search-prod'));
    await waitFor(() =>
      expect(picker.onChange).toHaveBeenCalledWith('search-prod'),
    );
  });

  it('stays a text field that says why when the clusters cannot be listed', async () => {
    const picker = props('local');
    await render(
      <SearchClusterPicker {...picker} />,
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'Not allowed to list the search clusters',
          },
        }),
        { status: 403, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    expect(
      await screen.findByText(/Could not list the search clusters/),
    ).toBeInTheDocument();
    const field = screen.getByLabelText('Search cluster');
    expect(field).toHaveValue('local');
    fireEvent.change(field, { target: { value: 'logs-eu' } });
    expect(picker.onChange).toHaveBeenCalledWith('logs-eu');
  });

  it('says so when no search cluster is configured', async () => {
    await render(<SearchClusterPicker {...props('local')} />, clusters());
    expect(
      await screen.findByText(/No search cluster is configured/),
    ).toBeInTheDocument();
  });
});
