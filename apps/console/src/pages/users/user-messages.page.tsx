import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { KeysetPager } from '../../components/keyset-pager';
import { PageHeader } from '../../components/page-header';
import { ExportViewButton } from '../exports/export-view.button';
import { useKeysetPage } from '../../hooks/use-keyset-page';
import { useUrlFilters } from '../../hooks/use-url-filters';
import { keepPreviousPageOfSameFilters } from '../sends/keep-previous-page';
import { USER_MESSAGES_FILTER_SPEC, USER_MESSAGES_PAGE_SIZE } from './user-messages.filters';
import { UserMessagesForm } from './user-messages.form';
import { UserMessagesTable } from './user-messages.table';

/** Everything one user was sent (`GET /v1/recipients?userId=`): outcome, read and recall state, newest first. */
export default function UserMessagesPage() {
  const { t } = useTranslation('users');
  const { client, identity } = useSession();
  const { filters, setFilters } = useUrlFilters(USER_MESSAGES_FILTER_SPEC);
  const pager = useKeysetPage();
  const { userId, ...rest } = filters;
  const messages = useQuery({
    queryKey: ['user-messages', filters, pager.token],
    queryFn: () => client.listUserRecipients({ ...rest, userId: userId!, maxResults: USER_MESSAGES_PAGE_SIZE, nextToken: pager.token }),
    enabled: userId !== undefined,
    placeholderData: (previous, previousQuery) => keepPreviousPageOfSameFilters(previous, previousQuery, filters),
  });

  return (
    <>
      <PageHeader title={userId ? t('titleFor', { userId }) : t('title')} subtitle={t('subtitle')} extra={<ExportViewButton kind="recipients" />} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card>
          <UserMessagesForm filters={filters} onSearch={setFilters} error={messages.error} />
        </Card>
        {messages.isError && <ApiErrorAlert error={messages.error} />}
        {identity.role === 'sender' && identity.chatConfigurations && (
          <Alert type="info" showIcon title={t('senderHint', { names: identity.chatConfigurations.join(', ') })} />
        )}
        <Card>
          {userId === undefined ? (
            <Empty description={t('enterUserId')} />
          ) : (
            <>
              <UserMessagesTable items={messages.isError ? [] : (messages.data?.items ?? [])} loading={messages.isFetching && !messages.isError} />
              <KeysetPager pager={pager} nextToken={messages.data?.nextToken} loading={messages.isFetching} />
            </>
          )}
        </Card>
      </Space>
    </>
  );
}
