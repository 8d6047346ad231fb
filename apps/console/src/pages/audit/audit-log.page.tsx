import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { FilteredPagedList } from '../../components/filtered-paged.list';
import { PageHeader } from '../../components/page-header';
import { useKeysetPage } from '../../hooks/use-keyset-page';
import { useUrlFilters } from '../../hooks/use-url-filters';
import { AuditEventsTable } from './audit-events.table';
import { AUDIT_FILTER_SPEC, auditQuery } from './audit-filters';
import { AuditFiltersForm } from './audit-filters.form';

/** `/console/audit`: every audited change, newest first, filtered in the URL and paged by keyset. */
export default function AuditLogPage() {
  const { t } = useTranslation('audit');
  const { client } = useSession();
  const { filters, setFilters } = useUrlFilters(AUDIT_FILTER_SPEC);
  const pager = useKeysetPage();
  const events = useQuery({
    queryKey: ['audit-events', filters, pager.token],
    queryFn: () => client.listAuditEvents(auditQuery(filters, pager.token)),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <FilteredPagedList filterBar={<AuditFiltersForm filters={filters} onSearch={setFilters} error={events.error} />} query={events} pager={pager}>
        <AuditEventsTable events={events.data?.items ?? []} loading={events.isFetching} onFilter={(narrower) => setFilters({ ...filters, ...narrower })} />
      </FilteredPagedList>
    </>
  );
}
