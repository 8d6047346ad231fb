import { SEND_STATUSES, type SendStatsResponse } from '@dingrelay/contracts/client';
import { Card, Col, Row, Statistic } from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { USER_TIME_ZONE } from '../../components/date-time';
import { EChart, type EChartOption } from '../../components/echart';
import { SEND_STATUS_CHART_COLORS } from '../../components/status-tags';
import { sendStatsSeries } from './send-stats.series';

/** Sends per status over the range as stacked bars (one per hour or day), with the totals as numbers. */
export function SendStatsCard({ stats, loading, extra }: { stats: SendStatsResponse | undefined; loading: boolean; extra?: ReactNode }) {
  const { t } = useTranslation('overview');
  const option = useMemo<EChartOption | null>(() => {
    if (!stats) return null;
    const series = sendStatsSeries(stats, USER_TIME_ZONE);
    const format = stats.interval === 'hour' ? 'HH:mm' : 'MM-DD';
    return {
      // ECharts would otherwise replace the chart's name with its own English description of the data.
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 0, containLabel: true },
      xAxis: {
        type: 'category',
        data: series.starts.map((start) => dayjs(start).format(stats.interval === 'hour' ? 'MM-DD HH:mm' : 'YYYY-MM-DD')),
        axisLabel: { formatter: (_: string, index: number) => dayjs(series.starts[index]).format(format) },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: SEND_STATUSES.map((status) => ({
        name: t(`common:sendStatus.${status}`),
        type: 'bar',
        stack: 'sends',
        data: series.counts[status],
        itemStyle: { color: SEND_STATUS_CHART_COLORS[status] },
        emphasis: { focus: 'series' },
      })),
    };
  }, [stats, t]);

  return (
    <Card title={t('sends.title')} extra={extra} loading={loading && !stats}>
      <Row gutter={[16, 8]}>
        <Col xs={12} md={4}>
          <Statistic title={t('sends.total')} value={stats?.sends.total ?? 0} />
        </Col>
        {SEND_STATUSES.map((status) => (
          <Col key={status} xs={12} md={5}>
            <Statistic title={t(`common:sendStatus.${status}`)} value={stats?.sends[status] ?? 0} styles={{ content: { color: SEND_STATUS_CHART_COLORS[status] } }} />
          </Col>
        ))}
      </Row>
      {option && <EChart option={option} label={t('sends.chartLabel')} height={300} />}
    </Card>
  );
}
