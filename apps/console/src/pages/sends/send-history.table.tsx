import type { SendHistoryItem } from '@dingrelay/contracts/client';
import { Table, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { timeCell, useCellRenderers } from './table-cells';

/** One page of the send history; each row opens the send. Cells stay plain so 100 rows render well within budget. */
export function SendHistoryTable({ items, loading }: { items: readonly SendHistoryItem[]; loading: boolean }) {
  const { t } = useTranslation('sends');
  const cell = useCellRenderers();
  const columns = useMemo<TableColumnsType<SendHistoryItem>>(
    () => [
      {
        key: 'createdAt',
        title: t('history.columns.createdAt'),
        render: (_, send) => (
          <Link to={`/sends/${send.id}`} title={t('history.openSend')}>
            {timeCell(send.createdAt)}
          </Link>
        ),
      },
      { key: 'status', title: t('history.columns.status'), render: (_, send) => cell.sendStatus(send.status) },
      { key: 'chatConfiguration', title: t('history.columns.chatConfiguration'), dataIndex: 'chatConfiguration' },
      { key: 'msgKey', title: t('history.columns.msgKey'), dataIndex: 'msgKey' },
      { key: 'recipients', title: t('history.columns.recipients'), align: 'right', render: (_, send) => send.recipientCount.toLocaleString() },
      { key: 'requester', title: t('history.columns.requester'), render: (_, send) => send.requestedBy ?? '–' },
      {
        key: 'finishedAt',
        title: t('history.columns.finishedAt'),
        render: (_, send) => timeCell(send.cancelledAt ?? send.completedAt),
      },
    ],
    [cell, t],
  );
  return (
    <Table<SendHistoryItem>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items as SendHistoryItem[]}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('history.empty') }}
    />
  );
}
