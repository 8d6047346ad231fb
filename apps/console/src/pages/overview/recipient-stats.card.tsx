import type { SendStatsResponse } from '@dingrelay/contracts/client';
import { Card, Col, Row, Statistic, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { RECIPIENT_STATUS_CHART_COLORS } from '../../components/status-tags';

const SHOWN = ['delivered', 'invalid', 'failed', 'unknown'] as const;

/** The range's recipients by outcome, and the DingTalk calls whose answer was lost. */
export function RecipientStatsCard({ stats, loading }: { stats: SendStatsResponse | undefined; loading: boolean }) {
  const { t } = useTranslation('overview');
  const { token } = theme.useToken();
  const ambiguous = stats?.ambiguousCalls ?? 0;
  return (
    <Card title={t('recipients.title')} loading={loading && !stats} style={{ height: '100%' }}>
      <Row gutter={[16, 16]}>
        <Col span={24}>
          <Statistic title={t('recipients.total')} value={stats?.recipients.total ?? 0} />
          {stats && stats.recipients.pending > 0 && <Typography.Text type="secondary">{t('recipients.pending', { count: stats.recipients.pending })}</Typography.Text>}
        </Col>
        {SHOWN.map((status) => (
          <Col key={status} span={12}>
            <Statistic title={t(`common:recipientStatus.${status}`)} value={stats?.recipients[status] ?? 0} styles={{ content: { color: RECIPIENT_STATUS_CHART_COLORS[status] } }} />
          </Col>
        ))}
        <Col span={24}>
          <Statistic
            title={t('recipients.ambiguousCalls')}
            value={ambiguous}
            styles={{ content: { color: ambiguous > 0 ? token.colorWarning : undefined } }}
          />
          <Typography.Text type="secondary">{t('recipients.ambiguousHelp')}</Typography.Text>
        </Col>
      </Row>
    </Card>
  );
}
