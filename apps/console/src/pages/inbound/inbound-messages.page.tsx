import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { FilteredPagedList } from '../../components/filtered-paged.list';
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
      <FilteredPagedList filterBar={<InboundFiltersForm filters={filters} onSearch={setFilters} error={messages.error} />} query={messages} pager={pager}>
        <InboundMessagesTable messages={messages.data?.items ?? []} loading={messages.isFetching} onFilter={(narrower) => setFilters({ ...filters, ...narrower })} />
      </FilteredPagedList>
    </>
  );
}
