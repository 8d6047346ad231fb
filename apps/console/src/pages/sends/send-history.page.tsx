import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Flex, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { KeysetPager } from '../../components/keyset-pager';
import { PageHeader } from '../../components/page-header';
import { ExportViewButton } from '../exports/export-view.button';
import { useKeysetPage } from '../../hooks/use-keyset-page';
import { useUrlFilters } from '../../hooks/use-url-filters';
import { keepPreviousPageOfSameFilters } from './keep-previous-page';
import { HISTORY_PAGE_SIZE, SEND_HISTORY_FILTER_SPEC } from './send-history.filters';
import { SendHistoryForm } from './send-history.form';
import { SendHistoryTable } from './send-history.table';

/** Every send, newest first, filtered by anything `GET /v1/sends` filters by; the view lives in the URL. */
export default function SendHistoryPage() {
  const { t } = useTranslation('sends');
  const { client, identity } = useSession();
  const { filters, setFilters } = useUrlFilters(SEND_HISTORY_FILTER_SPEC);
  const pager = useKeysetPage();
  const sends = useQuery({
    queryKey: ['sends', filters, pager.token],
    queryFn: () => client.listSends({ ...filters, maxResults: HISTORY_PAGE_SIZE, nextToken: pager.token }),
    placeholderData: (previous, previousQuery) => keepPreviousPageOfSameFilters(previous, previousQuery, filters),
  });

  return (
    <>
      <PageHeader title={t('history.title')} subtitle={t('history.subtitle')} extra={<><ExportViewButton kind="sends" /><OpenSendById /></>} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card>
          <SendHistoryForm filters={filters} onSearch={setFilters} error={sends.error} />
        </Card>
        {sends.isError && <ApiErrorAlert error={sends.error} />}
        {/* The API answers a sender with its own configurations' sends only: say so, or the history looks incomplete. */}
        {identity.role === 'sender' && identity.chatConfigurations && (
          <Alert type="info" showIcon title={t('history.senderHint', { names: identity.chatConfigurations.join(', ') })} />
        )}
        <Card>
          <SendHistoryTable items={sends.isError ? [] : (sends.data?.items ?? [])} loading={sends.isFetching && !sends.isError} />
          <KeysetPager pager={pager} nextToken={sends.data?.nextToken} loading={sends.isFetching} />
        </Card>
      </Space>
    </>
  );
}

/** A send's id pasted from a log, a ticket or the API's answer opens its detail directly. */
function OpenSendById() {
  const { t } = useTranslation('sends');
  const navigate = useNavigate();
  return (
    <Flex align="center" gap="small">
      <Typography.Text id="open-send-label">{t('history.openById')}</Typography.Text>
      <Input.Search
        aria-labelledby="open-send-label"
        placeholder={t('history.openByIdPlaceholder')}
        enterButton={t('history.open')}
        style={{ width: 360 }}
        onSearch={(value) => {
          const id = value.trim();
          if (id) navigate(`/sends/${encodeURIComponent(id)}`);
        }}
      />
    </Flex>
  );
}
