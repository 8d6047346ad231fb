import type { ConfigurationUsage } from '@dingrelay/contracts/client';
import { Flex, Progress, Tag, theme, Typography } from 'antd';
import type { GlobalToken } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

type Quota = ConfigurationUsage['quota'];

/** Where a configuration stands against its monthly quota: the API's warning share, and spent. */
export type QuotaLevel = 'normal' | 'warning' | 'exhausted';

export function quotaLevel(quota: Quota): QuotaLevel {
  if (quota.remaining <= 0 || quota.usedRatio >= 1) return 'exhausted';
  return quota.warning ? 'warning' : 'normal';
}

/** The bar's colour per level, from the theme; charts of the quota use the same. */
export function quotaLevelColor(level: QuotaLevel, token: GlobalToken): string {
  return { normal: token.colorPrimary, warning: token.colorWarning, exhausted: token.colorError }[level];
}

/** Counts and shares in the user's language (`1,204`, `0.06%`). */
export function useFormatters() {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const count = new Intl.NumberFormat(i18n.language);
    const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 2 });
    return { count: (value: number) => count.format(value), percent: (ratio: number) => percent.format(ratio) };
  }, [i18n.language]);
}

/**
 * Billable calls against the monthly quota: a bar coloured at the warning share (the API's flag) and when spent,
 * with the numbers as text and the level named in words (colour is never the only sign).
 */
export function QuotaProgress({ quota, billableCalls, chatConfiguration }: { quota: Quota; billableCalls: number; chatConfiguration: string }) {
  const { t } = useTranslation('usage');
  const { token } = theme.useToken();
  const format = useFormatters();
  const level = quotaLevel(quota);
  const color = quotaLevelColor(level, token);
  return (
    <Flex vertical gap={2} style={{ minWidth: 180 }} data-quota-level={level}>
      <Progress
        percent={Math.min(100, quota.usedRatio * 100)}
        strokeColor={color}
        showInfo={false}
        size="small"
        aria-label={t('quota.label', { name: chatConfiguration })}
        aria-valuetext={t('quota.used', { used: format.count(billableCalls), limit: format.count(quota.monthlyCalls), percent: format.percent(quota.usedRatio) })}
      />
      <Flex gap={4} align="center" wrap>
        <Typography.Text style={{ whiteSpace: 'nowrap' }}>
          {t('quota.used', { used: format.count(billableCalls), limit: format.count(quota.monthlyCalls), percent: format.percent(quota.usedRatio) })}
        </Typography.Text>
        {level !== 'normal' && <Tag color={level === 'warning' ? 'warning' : 'error'}>{t(`quota.levels.${level}`)}</Tag>}
      </Flex>
    </Flex>
  );
}
