import type { ConfigurationUsage } from '@dingrelay/contracts/client';
import { render, screen } from '@testing-library/react';
import { ConfigProvider, theme } from 'antd';
import { I18nextProvider } from 'react-i18next';
import { createTestI18n } from '../../test/test-i18n';
import { QuotaProgress, quotaLevel } from './quota.progress';

const quota = (billable: number, monthlyCalls: number, warning: boolean): ConfigurationUsage['quota'] => ({
  monthlyCalls,
  remaining: Math.max(0, monthlyCalls - billable),
  usedRatio: Math.round((billable / monthlyCalls) * 10_000) / 10_000,
  warningRatio: 0.8,
  warning,
});

function renderQuota(billable: number, limit: number, warning: boolean) {
  const { container } = render(
    <I18nextProvider i18n={createTestI18n('en-US')}>
      <ConfigProvider>
        <QuotaProgress quota={quota(billable, limit, warning)} billableCalls={billable} chatConfiguration="hr-robot" />
      </ConfigProvider>
    </I18nextProvider>,
  );
  const bar = container.querySelector<HTMLElement>('.ant-progress-track');
  return { container, barColor: bar?.style.background || bar?.style.backgroundColor };
}

const token = theme.getDesignToken();

describe('quota against its limit', () => {
  it('is normal under the warning share, warned at it (the API flag), spent at the limit', () => {
    expect(quotaLevel(quota(10, 5000, false))).toBe('normal');
    expect(quotaLevel(quota(4000, 5000, true))).toBe('warning');
    expect(quotaLevel(quota(5000, 5000, true))).toBe('exhausted');
    expect(quotaLevel(quota(5200, 5000, true))).toBe('exhausted');
  });

  it('colours the bar with the theme: primary, then warning, then error, and names the level in words', () => {
    const normal = renderQuota(3, 5000, false);
    expect(screen.getByText('3 / 5,000 (0.06%)')).toBeInTheDocument();
    expect(screen.queryByText('Near the limit')).not.toBeInTheDocument();
    expect(normal.barColor).toBe(rgb(token.colorPrimary));
    normal.container.remove();

    const warned = renderQuota(8, 10, true);
    expect(screen.getByText('8 / 10 (80%)')).toBeInTheDocument();
    expect(screen.getByText('Near the limit')).toBeInTheDocument();
    expect(warned.barColor).toBe(rgb(token.colorWarning));
    warned.container.remove();

    const spent = renderQuota(10, 10, true);
    expect(screen.getByText('Spent')).toBeInTheDocument();
    expect(spent.barColor).toBe(rgb(token.colorError));
    expect(screen.getByRole('progressbar', { name: 'Monthly quota used by hr-robot' })).toHaveAttribute('aria-valuenow', '100');
  });
});

/** jsdom reports inline colours as rgb(); the theme gives them as hex. */
function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}
