import type { PluginEntry } from '@dingrelay/contracts/client';
import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

type Entry = PluginEntry & { rawName?: string };
type Row = Entry & { position: number };

/** Quick entries as a table: the label in each locale, the icon's mediaId and both links. */
export function QuickEntriesTable({ entries, caption }: { entries: Entry[]; caption: string }) {
  const { t } = useTranslation('configurations');
  return (
    <Table<Row>
      size="small"
      rowKey="position"
      pagination={false}
      dataSource={entries.map((entry, position) => ({ ...entry, position }))}
      scroll={{ x: 'max-content' }}
      title={() => <Typography.Text strong>{caption}</Typography.Text>}
      locale={{ emptyText: t('plugins.none') }}
      columns={[
        {
          title: t('plugins.fields.name'),
          key: 'name',
          render: (_, entry) => {
            const names = Object.entries(entry.name ?? {});
            if (names.length === 0) return entry.rawName ?? '–';
            return names.map(([locale, text]) => (
              <div key={locale}>
                <Typography.Text type="secondary">{locale}</Typography.Text> {text}
              </div>
            ));
          },
        },
        { title: t('plugins.fields.icon'), dataIndex: 'icon', render: (icon: string) => <Typography.Text code>{icon}</Typography.Text> },
        { title: t('plugins.fields.pcUrl'), dataIndex: 'pcUrl', render: (url?: string) => url ?? '–' },
        { title: t('plugins.fields.mobileUrl'), dataIndex: 'mobileUrl', render: (url?: string) => url ?? '–' },
      ]}
    />
  );
}
