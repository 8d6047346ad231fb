import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { KeysetPager } from '../../components/keyset-pager';
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
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small">
          <AuditFiltersForm filters={filters} onSearch={setFilters} error={events.error} />
        </Card>
        {events.isError && <ApiErrorAlert error={events.error} />}
        {/* A refused query shows the error alone, not an empty table saying nothing matched. */}
        {!events.isError && (
          <Card size="small">
            <AuditEventsTable events={events.data?.items ?? []} loading={events.isFetching} onFilter={(narrower) => setFilters({ ...filters, ...narrower })} />
            <KeysetPager pager={pager} nextToken={events.data?.nextToken} loading={events.isFetching} />
          </Card>
        )}
      </Space>
    </>
  );
}
