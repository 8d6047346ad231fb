import type { SendStatusResponse } from '@dingrelay/contracts/client';
import { Card, Col, Descriptions, Empty, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../components/date-time';
import { reasonExplanation } from './table-cells';

/** Who read the message among those it reached, from DingTalk's readStatus polls. */
export function ReadSummaryCard({ send }: { send: SendStatusResponse }) {
  const { t } = useTranslation('sends');
  const { read } = send;
  return (
    <Card title={t('detail.read.title')} style={{ height: '100%' }}>
      <Counts
        counts={[
          [t('readState.read'), read.read],
          [t('readState.unread'), read.unread],
          [t('readState.notChecked'), read.notChecked],
        ]}
      />
      <Descriptions
        style={{ marginTop: 16 }}
        column={1}
        size="small"
        items={[
          { key: 'lastCheckedAt', label: t('detail.read.lastCheckedAt'), children: <DateTime value={read.lastCheckedAt} /> },
          {
            key: 'polling',
            label: t('detail.read.polling'),
            children: read.batchesPolling > 0 ? t('detail.read.batchesPolling', { n: read.batchesPolling }) : t('detail.read.notPolling'),
          },
        ]}
      />
    </Card>
  );
}

/** A recall's progress: recalled, failed by reason, still pending. */
export function RecallSummaryCard({ send }: { send: SendStatusResponse }) {
  const { t } = useTranslation('sends');
  const { recall } = send;
  if (!recall) {
    return (
      <Card title={t('detail.recall.title')} style={{ height: '100%' }}>
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.recall.none')} />
      </Card>
    );
  }
  const reasons = Object.entries(recall.failedByReason).map(([reason, count]) => ({ reason, count }));
  return (
    <Card
      title={t('detail.recall.title')}
      extra={recall.completedAt ? <Tag color="success">{t('detail.recall.completed')}</Tag> : <Tag color="processing">{t('detail.recall.inProgress')}</Tag>}
      style={{ height: '100%' }}
    >
      <Counts
        counts={[
          [t('recallState.recalled'), recall.recalled],
          [t('recallState.failed'), recall.failed],
          [t('detail.recall.pending'), recall.pending],
        ]}
      />
      <Descriptions
        style={{ marginTop: 16 }}
        column={1}
        size="small"
        items={[
          { key: 'requestedAt', label: t('detail.recall.requestedAt'), children: <DateTime value={recall.requestedAt} /> },
          { key: 'completedAt', label: t('detail.recall.completedAt'), children: <DateTime value={recall.completedAt} /> },
        ]}
      />
      {reasons.length > 0 && (
        <Table
          style={{ marginTop: 8 }}
          size="small"
          rowKey="reason"
          pagination={false}
          dataSource={reasons}
          columns={[
            { key: 'reason', title: t('detail.recall.reason'), render: (_, row) => <RecallReason code={row.reason} /> },
            { key: 'count', title: t('detail.recall.count'), dataIndex: 'count', align: 'right' },
          ]}
        />
      )}
    </Card>
  );
}

/** Three counts side by side, each titled. */
function Counts({ counts }: { counts: [title: string, value: number][] }) {
  return (
    <Row gutter={16}>
      {counts.map(([title, value]) => (
        <Col key={title} span={8}>
          <Statistic title={title} value={value} />
        </Col>
      ))}
    </Row>
  );
}

function RecallReason({ code }: { code: string }) {
  const { t } = useTranslation('sends');
  const explanation = reasonExplanation(t, code);
  return (
    <span>
      <Typography.Text code>{code}</Typography.Text> {explanation}
    </span>
  );
}
