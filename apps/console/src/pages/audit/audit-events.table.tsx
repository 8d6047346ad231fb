import { FilterOutlined } from '@ant-design/icons';
import { API_KEY_ROLES, type ApiKeyRole, type AuditEventResponse } from '@dingrelay/contracts/client';
import { Button, Space, Table, type TableColumnsType, Tag, theme, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DateTime } from '../../components/date-time';
import { AuditEventDetails } from './audit-event.details';
import type { AuditFilters } from './audit-filters';
import { UUID_PATTERN } from './audit-filters';
import { AuditActionLabel, useTargetTypeLabel } from './audit-vocabulary';
import { ShortId } from './short-id';

/** One page of the audit log, newest first; each row opens to the event's recorded details. */
export function AuditEventsTable({
  events,
  loading,
  onFilter,
}: {
  events: AuditEventResponse[];
  loading: boolean;
  /** Narrows the log to one actor or one target (added to the current filters). */
  onFilter: (filters: Partial<AuditFilters>) => void;
}) {
  const { t } = useTranslation('audit');
  const targetTypeLabel = useTargetTypeLabel();
  const { token } = theme.useToken();

  const columns: TableColumnsType<AuditEventResponse> = [
    { key: 'time', title: t('columns.time'), dataIndex: 'occurredAt', width: 170, render: (value: string) => <DateTime value={value} /> },
    {
      key: 'actor',
      title: t('columns.actor'),
      render: (_, { actor }) => (
        <Space orientation="vertical" size={0}>
          <Space size={4} wrap>
            <Typography.Text strong>{actor.name}</Typography.Text>
            {actor.role ? <Tag>{isRole(actor.role) ? t(`common:roles.${actor.role}`) : actor.role}</Tag> : actor.apiKeyId === null && <Tag>{t('actor.system')}</Tag>}
          </Space>
          {actor.apiKeyId && (
            <Space size={2}>
              <ShortId value={actor.apiKeyId} label={t('actor.keyId')} />
              <Tooltip title={t('actor.onlyThisActor')}>
                <Button type="text" size="small" icon={<FilterOutlined />} aria-label={t('actor.onlyThisActor')} onClick={() => onFilter({ actorKeyId: actor.apiKeyId! })} />
              </Tooltip>
            </Space>
          )}
        </Space>
      ),
    },
    { key: 'action', title: t('columns.action'), dataIndex: 'action', render: (action: string) => <AuditActionLabel action={action} /> },
    {
      key: 'target',
      title: t('columns.target'),
      render: (_, { target }) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text type="secondary">{targetTypeLabel(target.type) ?? target.type}</Typography.Text>
          <Space size={2}>
            <TargetId type={target.type} id={target.id} />
            <Tooltip title={t('target.onlyThisTarget')}>
              <Button type="text" size="small" icon={<FilterOutlined />} aria-label={t('target.onlyThisTarget')} onClick={() => onFilter({ targetType: target.type, targetId: target.id })} />
            </Tooltip>
          </Space>
        </Space>
      ),
    },
    {
      key: 'outcome',
      title: t('columns.outcome'),
      dataIndex: 'outcome',
      render: (outcome: AuditEventResponse['outcome'], event) => (
        <Space orientation="vertical" size={0}>
          <Tag color={outcome === 'succeeded' ? 'success' : 'error'}>{t(`outcomes.${outcome}`)}</Tag>
          {outcome === 'failed' && typeof event.details['errorCode'] === 'string' && (
            <Typography.Text type="secondary" code style={{ fontSize: token.fontSizeSM }}>
              {event.details['errorCode']}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      key: 'requestId',
      title: t('columns.requestId'),
      dataIndex: 'requestId',
      render: (requestId: string | null) =>
        requestId ? (
          <ShortId value={requestId} label={t('columns.requestId')} />
        ) : (
          <Typography.Text type="secondary">{t('noRequestId')}</Typography.Text>
        ),
    },
  ];

  return (
    <Table<AuditEventResponse>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={events}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('empty') }}
      expandable={{ expandedRowRender: (event) => <AuditEventDetails event={event} /> }}
    />
  );
}

/** A send or configuration target links to its page; anything else is its id. */
function TargetId({ type, id }: { type: string; id: string }) {
  const { token } = theme.useToken();
  if (type === 'send' && UUID_PATTERN.test(id)) {
    return (
      <Link to={`/sends/${id}`} style={{ fontFamily: token.fontFamilyCode, fontSize: token.fontSizeSM }}>
        {id}
      </Link>
    );
  }
  if (type === 'chat-configuration') return <Link to={`/configurations/${encodeURIComponent(id)}`}>{id}</Link>;
  return <Typography.Text code style={{ fontSize: token.fontSizeSM, wordBreak: 'break-all' }}>{id}</Typography.Text>;
}

function isRole(role: string): role is ApiKeyRole {
  return (API_KEY_ROLES as readonly string[]).includes(role);
}
