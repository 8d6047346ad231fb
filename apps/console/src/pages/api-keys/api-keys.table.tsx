import type { ApiKeyResponse } from '@dingrelay/contracts/client';
import { Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../components/date-time';

export type ApiKeyState = 'active' | 'revoked' | 'expired';

export function stateOf(key: ApiKeyResponse, now: number = Date.now()): ApiKeyState {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}

const STATE_COLORS: Record<ApiKeyState, string> = { active: 'success', revoked: 'default', expired: 'warning' };
const ROLE_COLORS = { admin: 'gold', auditor: 'blue', sender: 'green' } as const;

/** Keys as listed: never a secret, only the prefix that identifies a key in logs. */
export function ApiKeysTable({ keys, loading, currentKeyId, actions }: { keys: ApiKeyResponse[]; loading: boolean; currentKeyId: string; actions: (key: ApiKeyResponse) => ReactNode }) {
  const { t } = useTranslation('apiKeys');
  const columns = useMemo<TableColumnsType<ApiKeyResponse>>(
    () => [
      {
        title: t('fields.name'),
        dataIndex: 'name',
        render: (name: string, key) => (
          <Space size="small">
            {name}
            {key.id === currentKeyId && <Tag color="processing">{t('list.thisKey')}</Tag>}
          </Space>
        ),
      },
      { title: t('fields.prefix'), dataIndex: 'prefix', render: (prefix: string) => <Typography.Text code>{prefix}</Typography.Text> },
      { title: t('fields.role'), dataIndex: 'role', render: (role: ApiKeyResponse['role']) => <Tag color={ROLE_COLORS[role]}>{t(`common:roles.${role}`)}</Tag> },
      {
        title: t('fields.chatConfigurations'),
        dataIndex: 'chatConfigurations',
        render: (scope: string[] | null) =>
          scope === null ? <Typography.Text type="secondary">{t('fields.allConfigurations')}</Typography.Text> : scope.map((name) => <Tag key={name}>{name}</Tag>),
      },
      {
        title: t('fields.created'),
        dataIndex: 'createdAt',
        render: (value: string, key) => (
          <Space size={0} orientation="vertical">
            <DateTime value={value} />
            <Typography.Text type="secondary">{t('list.createdBy', { name: key.createdBy })}</Typography.Text>
          </Space>
        ),
      },
      { title: t('fields.expiresAt'), dataIndex: 'expiresAt', render: (value: string | null) => (value ? <DateTime value={value} /> : t('fields.never')) },
      {
        title: t('fields.state'),
        key: 'state',
        render: (_, key) => (
          <Space size="small" orientation="vertical">
            <Tag color={STATE_COLORS[stateOf(key)]}>{t(`state.${stateOf(key)}`)}</Tag>
            {key.revokedAt && <DateTime value={key.revokedAt} />}
          </Space>
        ),
      },
      { title: t('fields.lastUsedAt'), dataIndex: 'lastUsedAt', render: (value: string | null) => (value ? <DateTime value={value} /> : t('fields.neverUsed')) },
      { title: t('fields.actions'), key: 'actions', fixed: 'right', render: (_, key) => actions(key) },
    ],
    [t, currentKeyId, actions],
  );
  return <Table<ApiKeyResponse> rowKey="id" columns={columns} dataSource={keys} loading={loading} pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: t('list.empty') }} />;
}
