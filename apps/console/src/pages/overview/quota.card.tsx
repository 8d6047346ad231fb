import type { ConfigurationUsage, UsageResponse } from '@dingrelay/contracts/client';
import { Card, Flex, Typography, theme } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EChart, type EChartOption } from '../../components/echart';
import { QuotaProgress, quotaLevel, quotaLevelColor, useFormatters } from '../usage/quota.progress';

/**
 * This month's DingTalk quota per configuration: the share used as bars coloured by level, the warning share drawn
 * as a dashed line, and the same numbers as text under the chart.
 */
export function QuotaCard({ usage, loading }: { usage: UsageResponse | undefined; loading: boolean }) {
  const { t } = useTranslation('overview');
  const { token } = theme.useToken();
  const format = useFormatters();
  const configurations = useMemo(() => usage?.configurations ?? [], [usage]);
  const warningRatio = configurations[0]?.quota.warningRatio;

  const option = useMemo<EChartOption | null>(() => {
    if (configurations.length === 0) return null;
    const percents = configurations.map((c) => Math.round(c.quota.usedRatio * 10_000) / 100);
    return {
      // ECharts would otherwise replace the chart's name with its own English description of the data.
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (value: number) => `${value}%` },
      grid: { left: 8, right: 48, top: 24, bottom: 0, containLabel: true },
      xAxis: { type: 'category', data: configurations.map((c) => c.chatConfiguration) },
      // Up to 100% whatever the usage, so a small share looks small; beyond it ECharts picks round ticks.
      yAxis: { type: 'value', min: 0, max: Math.max(...percents) <= 100 ? 100 : undefined, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: t('quota.used'),
          type: 'bar',
          barMaxWidth: 48,
          data: configurations.map((c: ConfigurationUsage, index) => ({ value: percents[index], itemStyle: { color: quotaLevelColor(quotaLevel(c.quota), token) } })),
          markLine:
            warningRatio === undefined
              ? undefined
              : {
                  symbol: 'none',
                  silent: true,
                  lineStyle: { color: token.colorWarning, type: 'dashed', width: 2 },
                  label: { formatter: t('quota.warningLine', { percent: format.percent(warningRatio) }), position: 'insideEndTop', color: token.colorWarningText },
                  data: [{ yAxis: warningRatio * 100 }],
                },
        },
      ],
    };
  }, [configurations, format, t, token, warningRatio]);

  return (
    <Card
      title={t('quota.title', { month: usage?.month ?? '' })}
      loading={loading && !usage}
      extra={<Link to="/usage">{t('quota.details')}</Link>}
      style={{ height: '100%' }}
    >
      {option && <EChart option={option} label={t('quota.chartLabel')} height={220} />}
      <Flex vertical gap="small" style={{ marginTop: token.marginSM }}>
        {configurations.map((c) => (
          <Flex key={c.chatConfiguration} gap="middle" align="center" wrap>
            <Typography.Text strong style={{ width: 160 }} ellipsis={{ tooltip: c.chatConfiguration }}>
              {c.chatConfiguration}
            </Typography.Text>
            <div style={{ flex: 1, maxWidth: 480 }}>
              <QuotaProgress quota={c.quota} billableCalls={c.billableCalls} chatConfiguration={c.chatConfiguration} />
            </div>
          </Flex>
        ))}
        {usage && <Typography.Text type="secondary">{t('quota.timeZone', { timeZone: usage.timeZone })}</Typography.Text>}
      </Flex>
    </Card>
  );
}
