import type { AuditEventResponse } from '@dingrelay/contracts/client';
import { Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** An event's `details` as recorded: one line per field, nested values as JSON, and the whole copyable. */
export function AuditEventDetails({ event }: { event: AuditEventResponse }) {
  const { t } = useTranslation('audit');
  const entries = Object.entries(event.details);
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      styles={{ label: { width: 220 } }}
      title={t('details.title')}
      extra={
        <Typography.Text copyable={{ text: JSON.stringify(event, null, 2), tooltips: [t('details.copyJson'), t('details.copied')] }}>
          {t('details.copyJson')}
        </Typography.Text>
      }
      items={[
        { key: '__id', label: t('details.eventId'), children: <Typography.Text code>{event.id}</Typography.Text> },
        ...(entries.length === 0
          ? [{ key: '__empty', label: t('details.fields'), children: <Typography.Text type="secondary">{t('details.empty')}</Typography.Text> }]
          : entries.map(([key, value]) => ({ key, label: <Typography.Text code>{key}</Typography.Text>, children: <DetailValue value={value} /> }))),
      ]}
    />
  );
}

function DetailValue({ value }: { value: unknown }) {
  const { t } = useTranslation('common');
  if (value === null || value === undefined) return <Typography.Text type="secondary">{t('none')}</Typography.Text>;
  if (typeof value === 'object') {
    return <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(value, null, 2)}</pre>;
  }
  return <span style={{ wordBreak: 'break-all' }}>{String(value)}</span>;
}
