import { PlusOutlined } from '@ant-design/icons';
import type { ChatConfigurationResponse } from '@dingrelay/contracts/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Form, Table, type TableColumnsType, theme, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { DateTime } from '../../components/date-time';
import { KeysetPager } from '../../components/keyset-pager';
import { PageHeader } from '../../components/page-header';
import { useKeysetPage } from '../../hooks/use-keyset-page';
import { useUrlFilters } from '../../hooks/use-url-filters';
import { AdminActionButton } from './admin-action.button';
import { CONFIGURATION_FILTERS, type ConfigurationFilters, DEFAULT_PAGE_SIZE } from './configuration-filters';
import { ConfigurationFiltersForm } from './configuration-filters.form';
import { ConfigurationStatusTag, ConfigurationTags } from './configuration-status.tag';
import { showApiFieldErrors } from './form-field-errors';

const FILTER_FIELDS = new Set(['name', 'type', 'status', 'tag', 'maxResults']);

/** Every chat configuration, filtered and paged by name; admins start a new one from here. */
export default function ConfigurationListPage() {
  const { t } = useTranslation('configurations');
  const { client, permissions } = useSession();
  const navigate = useNavigate();
  const { filters, setFilters } = useUrlFilters(CONFIGURATION_FILTERS);
  const pager = useKeysetPage();
  const [filterForm] = Form.useForm<ConfigurationFilters>();
  const { token } = theme.useToken();

  const list = useQuery({
    queryKey: ['chat-configurations', 'list', filters, pager.token ?? null],
    queryFn: () => client.listChatConfigurations({ ...filters, maxResults: filters.maxResults ?? DEFAULT_PAGE_SIZE, nextToken: pager.token }),
    placeholderData: keepPreviousData,
  });

  // A filter the API refused (400) is marked on its field in the bar.
  useEffect(() => {
    if (list.error) showApiFieldErrors(filterForm, list.error, (field) => FILTER_FIELDS.has(field));
  }, [list.error, filterForm]);

  const columns = useMemo<TableColumnsType<ChatConfigurationResponse>>(
    () => [
      { title: t('fields.name'), dataIndex: 'name', render: (name: string) => <Link to={`/configurations/${encodeURIComponent(name)}`}>{name}</Link> },
      { title: t('fields.type'), dataIndex: 'type', render: (type: ChatConfigurationResponse['type']) => t(`type.${type}`) },
      { title: t('fields.status'), dataIndex: 'status', render: (status: ChatConfigurationResponse['status']) => <ConfigurationStatusTag status={status} /> },
      { title: t('fields.robotCode'), key: 'robotCode', render: (_, row) => (row.configuration.robotCode ? <Typography.Text code>{row.configuration.robotCode}</Typography.Text> : '–') },
      { title: t('fields.tags'), dataIndex: 'tags', render: (tags: Record<string, string>) => <ConfigurationTags tags={tags} /> },
      { title: t('fields.createdAt'), dataIndex: 'createdAt', render: (value: string) => <DateTime value={value} /> },
      { title: t('fields.updatedAt'), dataIndex: 'updatedAt', render: (value: string) => <DateTime value={value} /> },
    ],
    [t],
  );

  return (
    <>
      <PageHeader
        title={t('list.title')}
        subtitle={t('list.subtitle')}
        extra={
          <AdminActionButton allowed={permissions.canAdminister} type="primary" icon={<PlusOutlined />} onClick={() => navigate('/configurations/new')}>
            {t('list.create')}
          </AdminActionButton>
        }
      />
      <Card>
        <ConfigurationFiltersForm form={filterForm} filters={filters} onApply={setFilters} />
        {list.error && (
          <div style={{ marginBottom: token.marginMD }}>
            <ApiErrorAlert error={list.error} />
          </div>
        )}
        <Table<ChatConfigurationResponse>
          rowKey="name"
          columns={columns}
          dataSource={list.isError ? [] : (list.data?.items ?? [])}
          loading={list.isFetching}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: list.isError ? ' ' : t('list.empty') }}
        />
        <KeysetPager pager={pager} nextToken={list.data?.nextToken} loading={list.isFetching} />
      </Card>
    </>
  );
}
