import { RECIPIENT_STATUSES, type SendStatusResponse } from '@dingrelay/contracts/client';
import { Card, Col, Row, Statistic, theme } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart, type EChartOption } from '../../components/echart';
import { RECIPIENT_STATUS_CHART_COLORS } from '../../components/status-tags';

/** Recipients per status: a bar per status, and the same numbers as text. */
export function RecipientCountsCard({ send }: { send: SendStatusResponse }) {
  const { t } = useTranslation('sends');
  const { token } = theme.useToken();
  const counts = send.recipients;
  const labels = useMemo(() => RECIPIENT_STATUSES.map((status) => t(`common:recipientStatus.${status}`)), [t]);
  const option = useMemo<EChartOption>(
    () => ({
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: labels, inverse: true },
      series: [
        {
          type: 'bar',
          name: t('detail.counts.title'),
          data: RECIPIENT_STATUSES.map((status) => ({ value: counts[status], itemStyle: { color: RECIPIENT_STATUS_CHART_COLORS[status] } })),
          label: { show: true, position: 'right' },
        },
      ],
    }),
    [counts, labels, t],
  );
  return (
    <Card title={t('detail.counts.title')} extra={t('detail.counts.total', { total: counts.total.toLocaleString() })} style={{ height: '100%' }}>
      <EChart option={option} height={220} label={t('detail.counts.chartLabel')} />
      <Row gutter={[16, 8]} style={{ marginTop: 8 }}>
        {RECIPIENT_STATUSES.map((status, index) => (
          <Col key={status} xs={12} sm={8}>
            <Statistic title={labels[index]} value={counts[status]} styles={{ content: { color: RECIPIENT_STATUS_CHART_COLORS[status], fontSize: token.fontSizeXL } }} />
          </Col>
        ))}
      </Row>
    </Card>
  );
}
