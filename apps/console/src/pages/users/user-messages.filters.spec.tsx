import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parseFilters, useUrlFilters } from '../../hooks/use-url-filters';
import { renderConsolePage } from '../../test/console-page.harness';
import { USER_MESSAGES_FILTER_SPEC } from './user-messages.filters';
import { UserMessagesForm } from './user-messages.form';

function UserFiltersInUrl() {
  const { filters, setFilters } = useUrlFilters(USER_MESSAGES_FILTER_SPEC);
  return <UserMessagesForm filters={filters} onSearch={setFilters} error={null} />;
}

describe("a user's messages: filters in the URL", () => {
  it('reads a shared link and drops what the API would refuse', () => {
    const params = new URLSearchParams('userId=%20manager01%20&status=delivered&msgKey=sampleText&createdFrom=2026-12-01T00%3A00%3A00Z&robotCode=');
    expect(parseFilters(USER_MESSAGES_FILTER_SPEC, params)).toEqual({ userId: 'manager01', status: 'delivered', msgKey: 'sampleText', createdFrom: '2026-12-01T00:00:00Z' });
    // A send's status is not a recipient's: `completed` is dropped, not sent.
    expect(parseFilters(USER_MESSAGES_FILTER_SPEC, new URLSearchParams('userId=u1&status=completed'))).toEqual({ userId: 'u1' });
  });

  it('asks for a user ID before searching, then writes it to the URL', async () => {
    const user = userEvent.setup({ delay: null });
    const page = renderConsolePage({ role: 'sender', chatConfigurations: ['ops'], language: 'zh-CN', path: '/users?status=failed', routes: { '*': <UserFiltersInUrl /> } });
    expect(await screen.findByTitle('失败')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /查询/ }));
    expect(await screen.findByText('请输入要查询的用户 ID')).toBeInTheDocument();
    expect(page.location().search).toBe('?status=failed');

    await user.type(screen.getByLabelText('用户 ID'), 'manager01');
    await user.click(screen.getByRole('button', { name: /查询/ }));
    await waitFor(() => expect(page.location().search).toBe('?userId=manager01&status=failed'));
  }, 30_000);
});
