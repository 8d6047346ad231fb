import type { ConfigurationUsage } from '@dingrelay/contracts/client';
import { Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DeliveryPauseTag } from './delivery-pause';
import { QuotaProgress, useFormatters } from './quota.progress';

const COUNTS = ['calls', 'billableCalls', 'recipients', 'delivered', 'throttled', 'errors'] as const;

/** One month's DingTalk usage per configuration, with a total row for the counts. */
export function UsageTable({ configurations, loading }: { configurations: ConfigurationUsage[]; loading: boolean }) {
  const { t } = useTranslation('usage');
  const format = useFormatters();

  const columns: TableColumnsType<ConfigurationUsage> = [
    {
      key: 'chatConfiguration',
      title: t('columns.chatConfiguration'),
      dataIndex: 'chatConfiguration',
      fixed: 'start',
      render: (name: string) => <Link to={`/configurations/${encodeURIComponent(name)}`}>{name}</Link>,
    },
    ...COUNTS.map((count) => ({
      key: count,
      title: t(`columns.${count}`),
      dataIndex: count,
      align: 'end' as const,
      render: (value: number) => format.count(value),
    })),
    {
      key: 'quota',
      title: t('columns.quota'),
      render: (_: unknown, usage: ConfigurationUsage) => <QuotaProgress quota={usage.quota} billableCalls={usage.billableCalls} chatConfiguration={usage.chatConfiguration} />,
    },
    {
      key: 'remaining',
      title: t('columns.remaining'),
      align: 'end',
      render: (_: unknown, usage: ConfigurationUsage) => format.count(usage.quota.remaining),
    },
    { key: 'pause', title: t('columns.pause'), render: (_: unknown, usage: ConfigurationUsage) => <DeliveryPauseTag pause={usage.pause} /> },
  ];

  return (
    <Table<ConfigurationUsage>
      rowKey="chatConfiguration"
      size="middle"
      columns={columns}
      dataSource={configurations}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('empty') }}
      summary={(rows) =>
        rows.length > 1 && (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <Typography.Text strong>{t('total')}</Typography.Text>
            </Table.Summary.Cell>
            {COUNTS.map((count, index) => (
              <Table.Summary.Cell key={count} index={index + 1} align="right">
                <Typography.Text strong>{format.count(rows.reduce((sum, row) => sum + row[count], 0))}</Typography.Text>
              </Table.Summary.Cell>
            ))}
            <Table.Summary.Cell index={COUNTS.length + 1} colSpan={3} />
          </Table.Summary.Row>
        )
      }
    />
  );
}
