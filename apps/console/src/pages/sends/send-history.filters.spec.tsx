import { DingrelayApiError } from '@dingrelay/contracts/client';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { formatFilters, parseFilters, useUrlFilters } from '../../hooks/use-url-filters';
import { renderConsolePage } from '../../test/console-page.harness';
import { SEND_HISTORY_FILTER_SPEC, type SendHistoryFilters } from './send-history.filters';
import { fromFormValues, SendHistoryForm, toFormValues } from './send-history.form';

const SHARED =
  'chatConfiguration=ops-robot&robotCode=dingabc&msgKey=sampleMarkdown&status=cancelled' +
  '&createdFrom=2026-12-01T09%3A00%3A00%2B08%3A00&createdTo=2026-12-02T09%3A00%3A00%2B08%3A00&requester=ci-bot&idempotencyKey=deploy-42';

/** The history's filter bar wired to the URL as the page wires it. */
function HistoryFiltersInUrl() {
  const { filters, setFilters } = useUrlFilters(SEND_HISTORY_FILTER_SPEC);
  return <SendHistoryForm filters={filters} onSearch={setFilters} error={null} />;
}

describe('send history filters in the URL', () => {
  it('reads every filter of a shared link, the way the API names them', () => {
    expect(parseFilters(SEND_HISTORY_FILTER_SPEC, new URLSearchParams(SHARED))).toEqual({
      chatConfiguration: 'ops-robot',
      robotCode: 'dingabc',
      msgKey: 'sampleMarkdown',
      status: 'cancelled',
      createdFrom: '2026-12-01T09:00:00+08:00',
      createdTo: '2026-12-02T09:00:00+08:00',
      requester: 'ci-bot',
      idempotencyKey: 'deploy-42',
    });
  });

  it('drops values the API would refuse instead of sending them', () => {
    const params = new URLSearchParams('msgKey=sampleTelegram&status=exploded&createdFrom=yesterday&createdTo=2026-12-01&requester=%20&page=x');
    expect(parseFilters(SEND_HISTORY_FILTER_SPEC, params)).toEqual({});
  });

  it('keeps the same instants through the form: the range is shown in the user time zone and written with its offset', () => {
    const filters = parseFilters(SEND_HISTORY_FILTER_SPEC, new URLSearchParams(SHARED)) as SendHistoryFilters;
    const back = fromFormValues(toFormValues(filters));
    expect(Date.parse(back.createdFrom!)).toBe(Date.parse(filters.createdFrom!));
    expect(Date.parse(back.createdTo!)).toBe(Date.parse(filters.createdTo!));
    expect(back.createdFrom).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
    expect({ ...back, createdFrom: undefined, createdTo: undefined }).toEqual({ ...filters, createdFrom: undefined, createdTo: undefined });
  });

  it('shows a shared link in the form, and a search writes the filters back to the URL from the first page', async () => {
    const user = userEvent.setup({ delay: null });
    const page = renderConsolePage({ role: 'sender', chatConfigurations: ['hr-robot', 'ops-robot'], path: `/sends?${SHARED}&page=tok`, routes: { '*': <HistoryFiltersInUrl /> } });
    expect(await screen.findByLabelText('Robot code')).toHaveValue('dingabc');
    // A sender picks among the configurations of its own scope.
    expect(screen.getByTitle('ops-robot')).toBeInTheDocument();
    expect(screen.getByLabelText('Requested by (API key name)')).toHaveValue('ci-bot');
    expect(screen.getByLabelText('Idempotency key')).toHaveValue('deploy-42');
    expect(screen.getByTitle('Cancelled')).toBeInTheDocument();
    expect(screen.getByTitle('sampleMarkdown')).toBeInTheDocument();

    await user.clear(screen.getByLabelText('Robot code'));
    await user.type(screen.getByLabelText('Robot code'), 'dingxyz');
    await user.click(screen.getByRole('button', { name: /Search/ }));
    await waitFor(() => expect(page.location().search).toContain('robotCode=dingxyz'));
    const written = new URLSearchParams(page.location().search);
    expect(written.has('page')).toBe(false);
    const reread = parseFilters(SEND_HISTORY_FILTER_SPEC, written);
    expect(reread).toMatchObject({ chatConfiguration: 'ops-robot', msgKey: 'sampleMarkdown', status: 'cancelled', requester: 'ci-bot', idempotencyKey: 'deploy-42' });
    expect(Date.parse(reread.createdFrom!)).toBe(Date.parse('2026-12-01T09:00:00+08:00'));

    await user.click(screen.getByRole('button', { name: /Reset/ }));
    await waitFor(() => expect(page.location().search).toBe(''));
    expect(screen.getByLabelText('Robot code')).toHaveValue('');
  }, 30_000);

  it('puts a 400 field error from the API under the field it names', async () => {
    const error = new DingrelayApiError({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'Invalid query',
      details: [
        { field: 'createdFrom', message: 'must not be after createdTo' },
        { field: 'requester', message: 'requester must be shorter than or equal to 255 characters' },
      ],
      method: 'GET',
      path: '/v1/sends',
    });
    renderConsolePage({ role: 'sender', chatConfigurations: null, routes: { '*': <SendHistoryForm filters={{}} onSearch={() => {}} error={error} /> } });
    expect(await screen.findByText('must not be after createdTo')).toBeInTheDocument();
    expect(screen.getByText('requester must be shorter than or equal to 255 characters')).toBeInTheDocument();
  }, 15_000);

  it('writes nothing for empty fields', () => {
    expect(formatFilters(SEND_HISTORY_FILTER_SPEC, fromFormValues({ robotCode: '  ', created: [null, null] })).toString()).toBe('');
  });
});
