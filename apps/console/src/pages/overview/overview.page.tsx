import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Col, Flex, Row, Segmented, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { ConfigurationNameSelect } from '../../components/configuration-name.select';
import { DateTime, USER_TIME_ZONE } from '../../components/date-time';
import { PageHeader } from '../../components/page-header';
import { useUrlFilters } from '../../hooks/use-url-filters';
import { DeliveryPauseAlert } from '../usage/delivery-pause';
import { OVERVIEW_FILTER_SPEC, OVERVIEW_RANGES, sendStatsParams } from './overview-window';
import { QuotaCard } from './quota.card';
import { RecipientStatsCard } from './recipient-stats.card';
import { SendStatsCard } from './send-stats.card';

/** The overview refreshes itself this often: sends arrive and finish while an operator watches. */
export const OVERVIEW_REFRESH_MS = 30_000;

/**
 * `/console/`: sends by status over the last 24 hours or 7 days, their recipients' outcomes and lost answers, and
 * (for keys that read records) this month's quota per configuration and any delivery pause.
 */
export default function OverviewPage() {
  const { t } = useTranslation('overview');
  const { client, permissions } = useSession();
  const { filters, setFilters } = useUrlFilters(OVERVIEW_FILTER_SPEC);
  const range = filters.range ?? '24h';

  const stats = useQuery({
    queryKey: ['send-stats', range, filters.chatConfiguration ?? null],
    // The window ends now at each refresh, so it is computed when fetching, not when rendering.
    queryFn: () => client.getSendStats(sendStatsParams(range, USER_TIME_ZONE, filters.chatConfiguration)),
    refetchInterval: OVERVIEW_REFRESH_MS,
  });
  const usage = useQuery({
    queryKey: ['usage', 'current'],
    queryFn: () => client.getUsage({}),
    enabled: permissions.canReadRecords,
    refetchInterval: OVERVIEW_REFRESH_MS,
  });
  const paused = (usage.data?.configurations ?? []).filter((c) => c.pause !== null);

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={
          stats.dataUpdatedAt > 0 && (
            <>
              {t('updatedAt')} <DateTime value={new Date(stats.dataUpdatedAt).toISOString()} /> · {t('autoRefresh', { seconds: OVERVIEW_REFRESH_MS / 1000 })}
            </>
          )
        }
        extra={
          <Button icon={<ReloadOutlined />} loading={stats.isFetching || usage.isFetching} onClick={() => void Promise.all([stats.refetch(), usage.refetch()])}>
            {t('refresh')}
          </Button>
        }
      />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {paused.map((c) => (
          <DeliveryPauseAlert key={c.chatConfiguration} chatConfiguration={c.chatConfiguration} pause={c.pause!} />
        ))}
        {stats.isError && <ApiErrorAlert error={stats.error} />}
        {usage.isError && <ApiErrorAlert error={usage.error} />}
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <SendStatsCard
              stats={stats.data}
              loading={stats.isLoading}
              extra={
                <Flex gap="small" align="center" wrap>
                  <Segmented
                    aria-label={t('range.label')}
                    value={range}
                    options={OVERVIEW_RANGES.map((value) => ({ value, label: t(`range.${value}`) }))}
                    onChange={(value) => setFilters({ ...filters, range: value === '24h' ? undefined : value })}
                  />
                  <div style={{ width: 180 }}>
                    <ConfigurationNameSelect
                      value={filters.chatConfiguration}
                      placeholder={t('allConfigurations')}
                      ariaLabel={t('configuration')}
                      onChange={(chatConfiguration) => setFilters({ ...filters, chatConfiguration })}
                    />
                  </div>
                </Flex>
              }
            />
          </Col>
          <Col xs={24} xl={8}>
            <RecipientStatsCard stats={stats.data} loading={stats.isLoading} />
          </Col>
          {permissions.canReadRecords && (
            <Col xs={24}>
              <QuotaCard usage={usage.data} loading={usage.isLoading} />
            </Col>
          )}
        </Row>
        {!permissions.canReadRecords && <Typography.Text type="secondary">{t('senderScope')}</Typography.Text>}
      </Space>
    </>
  );
}
