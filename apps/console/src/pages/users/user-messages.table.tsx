import type { RecipientHistoryItem } from '@dingrelay/contracts/client';
import { Table, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCellRenderers } from '../sends/table-cells';

/** One page of a user's messages, newest first. Plain cells: 100 rows render within the page's budget. */
export function UserMessagesTable({ items, loading }: { items: readonly RecipientHistoryItem[]; loading: boolean }) {
  const { t } = useTranslation('users');
  const cell = useCellRenderers();
  const columns = useMemo<TableColumnsType<RecipientHistoryItem>>(
    () => [
      { key: 'createdAt', title: t('table.createdAt'), render: (_, m) => cell.time(m.createdAt) },
      {
        key: 'send',
        title: t('table.send'),
        render: (_, m) => (
          <Link to={`/sends/${m.sendId}`} title={m.sendId}>
            {cell.code(m.sendId.slice(0, 8))}
          </Link>
        ),
      },
      { key: 'chatConfiguration', title: t('table.chatConfiguration'), dataIndex: 'chatConfiguration' },
      { key: 'msgKey', title: t('table.msgKey'), dataIndex: 'msgKey' },
      {
        key: 'status',
        title: t('table.status'),
        render: (_, m) => (
          <span>
            {cell.recipientStatus(m.status)}
            {cell.reason(m.reasonCode, m.reasonMessage)}
          </span>
        ),
      },
      { key: 'deliveredAt', title: t('table.deliveredAt'), render: (_, m) => cell.time(m.deliveredAt) },
      { key: 'read', title: t('table.read'), render: (_, m) => cell.readState(m.readStatus, m.readAt, m.status === 'delivered') },
      { key: 'recall', title: t('table.recall'), render: (_, m) => cell.recallState(m.recallStatus, m.recallReason, m.recalledAt) },
    ],
    [cell, t],
  );
  return (
    <Table<RecipientHistoryItem>
      rowKey={(m) => `${m.sendId}:${m.userId}`}
      size="small"
      columns={columns}
      dataSource={items as RecipientHistoryItem[]}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('table.empty') }}
    />
  );
}
