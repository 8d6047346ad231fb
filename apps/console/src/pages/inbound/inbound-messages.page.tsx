import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { KeysetPager } from '../../components/keyset-pager';
import { PageHeader } from '../../components/page-header';
import { useKeysetPage } from '../../hooks/use-keyset-page';
import { useUrlFilters } from '../../hooks/use-url-filters';
import { INBOUND_FILTER_SPEC, inboundQuery } from './inbound-filters';
import { InboundFiltersForm } from './inbound-filters.form';
import { InboundMessagesTable } from './inbound-messages.table';

/** `/console/inbound`: what users sent the robots, newest first, filtered in the URL and paged by keyset. */
export default function InboundMessagesPage() {
  const { t } = useTranslation('inbound');
  const { client } = useSession();
  const { filters, setFilters } = useUrlFilters(INBOUND_FILTER_SPEC);
  const pager = useKeysetPage();
  const messages = useQuery({
    queryKey: ['inbound-messages', filters, pager.token],
    queryFn: () => client.listInboundMessages(inboundQuery(filters, pager.token)),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small">
          <InboundFiltersForm filters={filters} onSearch={setFilters} error={messages.error} />
        </Card>
        {messages.isError && <ApiErrorAlert error={messages.error} />}
        {/* A refused query shows the error alone, not an empty table saying nothing matched. */}
        {!messages.isError && (
          <Card size="small">
            <InboundMessagesTable
              messages={messages.data?.items ?? []}
              loading={messages.isFetching}
              onFilter={(narrower) => setFilters({ ...filters, ...narrower })}
            />
            <KeysetPager pager={pager} nextToken={messages.data?.nextToken} loading={messages.isFetching} />
          </Card>
        )}
      </Space>
    </>
  );
}
